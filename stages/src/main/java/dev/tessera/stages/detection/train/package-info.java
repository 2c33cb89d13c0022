/**
 * Training of the YOLO-style detector: label assignment, loss, the training loop and the {@code train-detector}
 * stage.
 */
package dev.tessera.stages.detection.train;
