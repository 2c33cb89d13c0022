/** The {@code evaluate-detection} stage: detector inference on Beam, COCO and VOC metrics, PR curves, a box grid. */
package dev.tessera.stages.detection.evaluate;
