/** Helpers of the dataset catalog and readers that are not API. */
package dev.tessera.pipelines.datasets.internal;
