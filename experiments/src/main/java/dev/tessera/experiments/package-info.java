/** Ready experiments and the Guice module that registers them by name. */
package dev.tessera.experiments;
