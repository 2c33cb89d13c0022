/** Terminal output: the live stage table, plain log lines, and text tables. */
package dev.tessera.runners.cli.console;
