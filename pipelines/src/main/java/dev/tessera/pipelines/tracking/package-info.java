/** The tracking SPI (MLflow-shaped) and its implementations. */
package dev.tessera.pipelines.tracking;
