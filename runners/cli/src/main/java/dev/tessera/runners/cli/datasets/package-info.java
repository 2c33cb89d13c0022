/** {@code tessera datasets}: catalog datasets written out as plain files a user can look at and grow. */
package dev.tessera.runners.cli.datasets;
