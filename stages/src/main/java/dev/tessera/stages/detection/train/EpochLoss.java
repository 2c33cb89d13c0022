package dev.tessera.stages.detection.train;

/**
 * One epoch's mean loss parts over its steps, and how long it took.
 *
 * @param epoch the epoch, 1-based
 * @param loss the mean total loss
 * @param box the mean weighted box loss
 * @param objectness the mean weighted objectness loss
 * @param classes the mean weighted class loss
 * @param seconds wall-clock seconds of the epoch
 */
public record EpochLoss(int epoch, double loss, double box, double objectness, double classes, double seconds) {}
