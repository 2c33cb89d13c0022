/** Ready experiments, registered by name through {@code META-INF/services} like a user's own. */
package dev.tessera.experiments;
