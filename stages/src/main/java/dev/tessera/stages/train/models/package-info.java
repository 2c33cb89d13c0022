/** The built-in model architectures and losses, registered through {@link java.util.ServiceLoader}. */
package dev.tessera.stages.train.models;
