/** Datasets by name: the catalog (cache, offline mirror, verified download) and readers of their raw formats. */
package dev.tessera.pipelines.datasets;
