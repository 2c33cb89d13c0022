package dev.tessera.stages.train;

/**
 * The metrics of one finished epoch.
 *
 * @param epoch 1-based
 * @param trainLoss mean softmax cross-entropy over the epoch's training samples
 * @param trainAccuracy fraction of training samples whose argmax was right, while training
 * @param validationLoss mean loss on the validation source, NaN without one
 * @param validationAccuracy accuracy on the validation source, NaN without one
 * @param steps optimizer steps taken so far (all epochs)
 * @param seconds wall time of this epoch, validation included
 */
public record EpochMetrics(
    int epoch,
    double trainLoss,
    double trainAccuracy,
    double validationLoss,
    double validationAccuracy,
    long steps,
    double seconds) {}
