/** The {@code tessera} command line: picocli commands wired by the one Guice injector. */
package dev.tessera.runners.cli;
