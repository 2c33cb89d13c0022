package dev.tessera.stages.detection.train;

import dev.tessera.pipelines.dag.StageSpec;

/**
 * Settings of {@link TrainDetector}.
 *
 * @param epochs passes over the training split, >= 1
 * @param batchSize images per optimizer step, >= 1
 * @param learningRate AdamW's peak learning rate, in (0, 1]
 * @param weightDecay AdamW's decoupled weight decay, in [0, 1)
 * @param warmupEpochs epochs (may be fractional) over which the learning rate rises linearly from 10% to the peak,
 *     >= 0
 * @param cosine whether the learning rate then decays along a cosine to 1% of the peak at the last step (else it
 *     stays at the peak)
 * @param ema whether the saved weights are an exponential moving average of the trained ones (YOLOv5's decay
 *     {@code 0.9999 (1 - exp(-updates / 2000))}), smoother than the last step's
 * @param imageSize the square input side in pixels the dataset was letterboxed to, a multiple of 32
 * @param width the network's channel multiplier, in (0, 2] (0.25 is YOLOv5-n-like)
 * @param depth the network's depth multiplier, in (0, 2] (0.33 is YOLOv5-n-like)
 * @param anchorsPerScale anchors per cell on each of the 3 scales, 1..5; estimated by k-means on the training boxes
 * @param loss the loss gains and anchor-matching ratio
 * @param mosaicProbability the chance, in [0, 1], that a training image becomes a full-scale mosaic with three
 *     others of its shard, drawn anew each epoch ({@link EpochAugment}); 0 trains on the images as stored
 * @param closeMosaicEpochs how many of the last epochs train without mosaic, {@code >= 0} (YOLOv8's close-mosaic;
 *     all of them when it exceeds {@code epochs}), so the model ends on images that look like the test images
 * @param flips whether each epoch flips images left-right and top-bottom, each with probability 1/2
 * @param brightness the largest relative brightness change per image and epoch, in [0, 1) (0 = none)
 * @param timeBudgetMinutes a wall-clock budget for training in minutes, {@code >= 0}; 0 (off) trains exactly
 *     {@code epochs} epochs, reproducibly. When set, {@code epochs} is an upper bound: the cosine decay follows
 *     whichever is further along, steps or time, the close-mosaic epochs start when the time left is about that
 *     many epochs, and training stops after the epoch that reaches the budget (less half an epoch). The result
 *     then depends on the machine's speed and load: a budget to compare recipes on a shared machine, not for
 *     bit-exact reruns
 * @param seed an explicit seed for weights, anchors and shuffling, or {@code null} to use the experiment's
 */
public record TrainDetectorSpec(int epochs, int batchSize, double learningRate, double weightDecay,
    double warmupEpochs, boolean cosine, boolean ema, int imageSize, double width, double depth, int anchorsPerScale,
    LossWeights loss, double mosaicProbability, int closeMosaicEpochs, boolean flips, double brightness,
    double timeBudgetMinutes, Long seed) implements StageSpec {
  /** The stage kind. */
  public static final String KIND = "train-detector";

  public TrainDetectorSpec {
    if (epochs < 1) {
      throw new IllegalArgumentException("train-detector.epochs must be >= 1, but was " + epochs + ".");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("train-detector.batchSize must be >= 1, but was " + batchSize + ".");
    }
    if (!(learningRate > 0 && learningRate <= 1)) {
      throw new IllegalArgumentException("train-detector.learningRate must be in (0, 1], but was " + learningRate
          + ". AdamW trains this detector well at about 0.001 to 0.003.");
    }
    if (!(weightDecay >= 0 && weightDecay < 1)) {
      throw new IllegalArgumentException("train-detector.weightDecay must be in [0, 1), but was " + weightDecay
          + ".");
    }
    if (!(warmupEpochs >= 0) || Double.isInfinite(warmupEpochs)) {
      throw new IllegalArgumentException("train-detector.warmupEpochs must be >= 0 (0 = no warmup), but was "
          + warmupEpochs + ".");
    }
    if (imageSize < 32 || imageSize % 32 != 0) {
      throw new IllegalArgumentException("train-detector.imageSize must be a positive multiple of 32 (the coarsest"
          + " stride), but was " + imageSize + ". Letterbox to 320, 416 or 640.");
    }
    if (!(width > 0 && width <= 2)) {
      throw new IllegalArgumentException("train-detector.width must be in (0, 2], but was " + width + ".");
    }
    if (!(depth > 0 && depth <= 2)) {
      throw new IllegalArgumentException("train-detector.depth must be in (0, 2], but was " + depth + ".");
    }
    if (anchorsPerScale < 1 || anchorsPerScale > 5) {
      throw new IllegalArgumentException("train-detector.anchorsPerScale must be in 1..5, but was "
          + anchorsPerScale + ". YOLOv3 and v5 use 3.");
    }
    if (loss == null) {
      throw new IllegalArgumentException("train-detector.loss must be set (LossWeights.defaults()), but was null.");
    }
    if (!(mosaicProbability >= 0 && mosaicProbability <= 1)) {
      throw new IllegalArgumentException("train-detector.mosaicProbability must be in [0, 1] (0 = no mosaic), "
          + "but was " + mosaicProbability + ".");
    }
    if (closeMosaicEpochs < 0) {
      throw new IllegalArgumentException("train-detector.closeMosaicEpochs must be >= 0 (0 = mosaic to the end),"
          + " but was " + closeMosaicEpochs + ".");
    }
    if (!(brightness >= 0 && brightness < 1)) {
      throw new IllegalArgumentException("train-detector.brightness must be in [0, 1) (0 = none), but was "
          + brightness + ". YOLOv5 uses 0.4.");
    }
    if (!(timeBudgetMinutes >= 0) || Double.isInfinite(timeBudgetMinutes)) {
      throw new IllegalArgumentException("train-detector.timeBudgetMinutes must be >= 0 (0 = train all epochs),"
          + " but was " + timeBudgetMinutes + ".");
    }
  }

  /**
   * A tiny CPU detector for {@code imageSize} inputs: 50 epochs of 16 images, AdamW at 0.002 (weight decay 0.0005),
   * 3 warmup epochs, cosine decay, EMA on, width 0.25, depth 0.33, 3 anchors per scale, YOLOv5's loss gains.
   */
  public static TrainDetectorSpec defaults(int imageSize) {
    return new TrainDetectorSpec(50, 16, 0.002, 0.0005, 3, true, true, imageSize, 0.25, 0.33, 3,
        LossWeights.defaults(), 1.0, 2, true, 0.3, 0, null);
  }

  public TrainDetectorSpec withEpochs(int value) {
    return new TrainDetectorSpec(value, batchSize, learningRate, weightDecay, warmupEpochs, cosine, ema, imageSize,
        width, depth, anchorsPerScale, loss, mosaicProbability, closeMosaicEpochs, flips, brightness,
        timeBudgetMinutes, seed);
  }

  public TrainDetectorSpec withBatchSize(int value) {
    return new TrainDetectorSpec(epochs, value, learningRate, weightDecay, warmupEpochs, cosine, ema, imageSize,
        width, depth, anchorsPerScale, loss, mosaicProbability, closeMosaicEpochs, flips, brightness,
        timeBudgetMinutes, seed);
  }

  public TrainDetectorSpec withLearningRate(double value) {
    return new TrainDetectorSpec(epochs, batchSize, value, weightDecay, warmupEpochs, cosine, ema, imageSize,
        width, depth, anchorsPerScale, loss, mosaicProbability, closeMosaicEpochs, flips, brightness,
        timeBudgetMinutes, seed);
  }

  public TrainDetectorSpec withWarmupEpochs(double value) {
    return new TrainDetectorSpec(epochs, batchSize, learningRate, weightDecay, value, cosine, ema, imageSize,
        width, depth, anchorsPerScale, loss, mosaicProbability, closeMosaicEpochs, flips, brightness,
        timeBudgetMinutes, seed);
  }

  public TrainDetectorSpec withEma(boolean value) {
    return new TrainDetectorSpec(epochs, batchSize, learningRate, weightDecay, warmupEpochs, cosine, value,
        imageSize, width, depth, anchorsPerScale, loss, mosaicProbability, closeMosaicEpochs, flips, brightness,
        timeBudgetMinutes, seed);
  }

  public TrainDetectorSpec withSize(double newWidth, double newDepth) {
    return new TrainDetectorSpec(epochs, batchSize, learningRate, weightDecay, warmupEpochs, cosine, ema, imageSize,
        newWidth, newDepth, anchorsPerScale, loss, mosaicProbability, closeMosaicEpochs, flips, brightness,
        timeBudgetMinutes, seed);
  }

  /** A copy with other per-epoch augmentation ({@link EpochAugment}). */
  public TrainDetectorSpec withAugment(double newMosaicProbability, int newCloseMosaicEpochs, boolean newFlips,
      double newBrightness) {
    return new TrainDetectorSpec(epochs, batchSize, learningRate, weightDecay, warmupEpochs, cosine, ema, imageSize,
        width, depth, anchorsPerScale, loss, newMosaicProbability, newCloseMosaicEpochs, newFlips, newBrightness,
        timeBudgetMinutes, seed);
  }

  /** A copy with a wall-clock training budget ({@code 0} = off). */
  public TrainDetectorSpec withTimeBudget(double minutes) {
    return new TrainDetectorSpec(epochs, batchSize, learningRate, weightDecay, warmupEpochs, cosine, ema, imageSize,
        width, depth, anchorsPerScale, loss, mosaicProbability, closeMosaicEpochs, flips, brightness, minutes, seed);
  }

  /** True when epoch {@code epoch} (0-based) trains with mosaic (before the close-mosaic epochs). */
  public boolean mosaicAt(int epoch) {
    return epoch < epochs - closeMosaicEpochs;
  }

  /**
   * The learning rate at step {@code step} (0-based) of {@code total}, {@code perEpoch} a epoch, when a share
   * {@code timeUsed} in [0, 1] of the time budget is spent: the cosine follows whichever is further along.
   */
  public double learningRateAt(long step, long total, long perEpoch, double timeUsed) {
    double warmupSteps = warmupEpochs * perEpoch;
    if (step < warmupSteps || !cosine) {
      return learningRateAt(step, total, perEpoch);
    }
    double byStep = total <= warmupSteps ? 1 : (step - warmupSteps) / Math.max(1, total - 1 - warmupSteps);
    double progress = Math.min(1, Math.max(byStep, timeUsed));
    return learningRate * (0.01 + 0.99 * 0.5 * (1 + Math.cos(Math.PI * progress)));
  }

  /** The learning rate at optimizer step {@code step} (0-based) of {@code total}, with {@code perEpoch} a epoch. */
  public double learningRateAt(long step, long total, long perEpoch) {
    double warmupSteps = warmupEpochs * perEpoch;
    if (step < warmupSteps) {
      return learningRate * (0.1 + 0.9 * step / warmupSteps);
    }
    if (!cosine || total <= warmupSteps) {
      return learningRate;
    }
    double progress = Math.min(1, (step - warmupSteps) / Math.max(1, total - 1 - warmupSteps));
    return learningRate * (0.01 + 0.99 * 0.5 * (1 + Math.cos(Math.PI * progress)));
  }
}
