/** Segmentation: per-pixel metrics as a Beam combine, and the evaluate stage of per-pixel models. */
package dev.tessera.stages.segmentation;
