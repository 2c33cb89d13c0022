package dev.tessera.stages.augment;

import dev.tessera.pipelines.dag.StageSpec;
import dev.tessera.transforms.image.Interpolation;
import dev.tessera.transforms.image.LetterboxSpec;
import dev.tessera.transforms.image.MixupSpec;
import dev.tessera.transforms.image.MosaicSpec;
import dev.tessera.transforms.image.NormalizeSpec;
import dev.tessera.transforms.image.ResizeSpec;
import java.util.List;

/**
 * Settings of {@link DetectionAugment}: mosaic (on some splits, with a probability), then letterbox, then mixup (on
 * the same splits, with its own probability), then normalize to float CHW, written in shards of about
 * {@code samplesPerShard} samples.
 *
 * @param epoch which epoch's draws to take, {@code >= 0}: with the experiment seed it fixes every random choice
 *     (new groups and centres per epoch)
 * @param mosaicSplits the splits that get mosaic (others are only letterboxed and normalized); by default only
 *     {@code train}, so validation and test data stay unaugmented
 * @param mosaicProbability the chance, in {@code [0, 1]}, that a sample of a mosaic split becomes a mosaic anchor
 *     (drawn from (seed, epoch, id)); 0 turns mosaic off, 1 mosaics every sample
 * @param mosaicSize the mosaic canvas side in pixels, {@code 2..}{@link ResizeSpec#MAX_SIDE}
 * @param mosaicTileSide each mosaic tile's longer side in pixels, {@code 1..2 mosaicSize}; equal to
 *     {@code letterboxSize} and {@code mosaicSize}, objects in training mosaics are as large as in letterboxed test
 *     images (half of it would halve them, and anchors fitted on them)
 * @param mixupProbability the chance, in {@code [0, 1]}, that a letterboxed sample of a mosaic split takes part in
 *     mixup (drawn from (seed, epoch, id)); the chosen samples are paired within their split, each pair giving two
 *     blended outputs; 0 (the default, as in YOLO's detection defaults) turns mixup off
 * @param mixupMinRatio the lowest weight of a mixup output's own image, in {@code [0, 1]}
 * @param mixupMaxRatio the highest weight, in {@code [mixupMinRatio, 1]}; the weight is uniform in between
 * @param letterboxSize the longer side after letterbox, in pixels, {@code 1..}{@link ResizeSpec#MAX_SIDE}
 * @param letterboxStride the padded square's side is a multiple of this, {@code 1..letterboxSize}
 * @param padValue the u8 level of mosaic and letterbox padding, {@code 0..255} (114 in YOLO)
 * @param mean per-channel mean in [0, 1] units (one value, or one per channel)
 * @param std per-channel standard deviation in [0, 1] units, each > 0
 * @param samplesPerShard the target number of samples per output shard, {@code >= 1}; a split of {@code n}
 *     samples gets {@code ceil(n / samplesPerShard)} shards, each sample in the one its id hashes to
 */
public record DetectionAugmentSpec(long epoch, List<String> mosaicSplits, double mosaicProbability, int mosaicSize,
    int mosaicTileSide, double mixupProbability, double mixupMinRatio, double mixupMaxRatio, int letterboxSize,
    int letterboxStride, int padValue, List<Double> mean, List<Double> std, int samplesPerShard)
    implements StageSpec {

  /** ImageNet's per-channel mean (RGB), in [0, 1] units. */
  public static final List<Double> IMAGENET_MEAN = List.of(0.485, 0.456, 0.406);
  /** ImageNet's per-channel standard deviation (RGB), in [0, 1] units. */
  public static final List<Double> IMAGENET_STD = List.of(0.229, 0.224, 0.225);

  public DetectionAugmentSpec {
    if (epoch < 0) {
      throw new IllegalArgumentException("augment.epoch must be >= 0, but was " + epoch + ".");
    }
    if (mosaicSplits == null || mosaicSplits.stream().anyMatch(s -> s == null || s.isBlank())) {
      throw new IllegalArgumentException("augment.mosaicSplits must be a list of split names such as [\"train\"] "
          + "([] for none), but was " + mosaicSplits + ".");
    }
    mosaicSplits = List.copyOf(new java.util.TreeSet<>(mosaicSplits));
    if (!(mosaicProbability >= 0 && mosaicProbability <= 1)) {
      throw new IllegalArgumentException("augment.mosaicProbability must be in [0, 1] (0 = no mosaic), but was "
          + mosaicProbability + ".");
    }
    if (mosaicSize < 2 || mosaicSize > ResizeSpec.MAX_SIDE) {
      throw new IllegalArgumentException("augment.mosaicSize must be in 2.." + ResizeSpec.MAX_SIDE
          + " pixels, but was " + mosaicSize + ".");
    }
    if (mosaicTileSide < 1 || mosaicTileSide > 2 * mosaicSize) {
      throw new IllegalArgumentException("augment.mosaicTileSide must be in 1.." + (2 * mosaicSize) + " pixels "
          + "(twice augment.mosaicSize), but was " + mosaicTileSide + ". Set it to augment.letterboxSize so "
          + "training objects are as large as test objects.");
    }
    if (!(mixupProbability >= 0 && mixupProbability <= 1)) {
      throw new IllegalArgumentException("augment.mixupProbability must be in [0, 1] (0 = no mixup), but was "
          + mixupProbability + ".");
    }
    if (!(mixupMinRatio >= 0 && mixupMinRatio <= 1)) {
      throw new IllegalArgumentException("augment.mixupMinRatio must be in [0, 1], but was " + mixupMinRatio + ".");
    }
    if (!(mixupMaxRatio >= mixupMinRatio && mixupMaxRatio <= 1)) {
      throw new IllegalArgumentException("augment.mixupMaxRatio must be in [" + mixupMinRatio
          + " (augment.mixupMinRatio), 1], but was " + mixupMaxRatio + ".");
    }
    if (letterboxSize < 1 || letterboxSize > ResizeSpec.MAX_SIDE) {
      throw new IllegalArgumentException("augment.letterboxSize must be in 1.." + ResizeSpec.MAX_SIDE
          + " pixels, but was " + letterboxSize + ".");
    }
    if (letterboxStride < 1 || letterboxStride > letterboxSize) {
      throw new IllegalArgumentException("augment.letterboxStride must be in 1.." + letterboxSize
          + " (augment.letterboxSize), but was " + letterboxStride + ".");
    }
    if (padValue < 0 || padValue > 255) {
      throw new IllegalArgumentException("augment.padValue must be a u8 level in 0..255, but was " + padValue + ".");
    }
    if (mean == null || std == null) {
      throw new IllegalArgumentException("augment.mean and augment.std must be set, but " + (mean == null ? "mean"
          : "std") + " was null (one value per channel; RGB needs 3).");
    }
    mean = List.copyOf(mean);
    std = List.copyOf(std);
    NormalizeSpec.of(mean, std); // validates the values, with normalize.* messages
    if (samplesPerShard < 1) {
      throw new IllegalArgumentException("augment.samplesPerShard must be >= 1, but was " + samplesPerShard + ".");
    }
  }

  /**
   * YOLO-like defaults for detector input of {@code letterboxSize}: epoch 0, mosaic of every {@code train} sample
   * on a canvas of {@code letterboxSize} with tiles of that side (the scale of the letterboxed test images), no
   * mixup (ratio range 0.4..0.6 once turned on), letterbox with stride 32 and padding 114, ImageNet mean and std,
   * 32 samples per shard.
   */
  public static DetectionAugmentSpec of(int letterboxSize) {
    return new DetectionAugmentSpec(0, List.of("train"), 1.0, letterboxSize, letterboxSize, 0.0, 0.4, 0.6,
        letterboxSize, 32, 114, IMAGENET_MEAN, IMAGENET_STD, 32);
  }

  public DetectionAugmentSpec withEpoch(long value) {
    return new DetectionAugmentSpec(value, mosaicSplits, mosaicProbability, mosaicSize, mosaicTileSide,
        mixupProbability, mixupMinRatio, mixupMaxRatio, letterboxSize, letterboxStride, padValue, mean, std,
        samplesPerShard);
  }

  /** A copy with mosaic on {@code splits} with {@code probability}, on a canvas of {@code size}, tiles of that side. */
  public DetectionAugmentSpec withMosaic(List<String> splits, double probability, int size) {
    return withMosaic(splits, probability, size, size);
  }

  /** A copy with mosaic on {@code splits} with {@code probability}, a canvas of {@code size}, tiles of tileSide. */
  public DetectionAugmentSpec withMosaic(List<String> splits, double probability, int size, int tileSide) {
    return new DetectionAugmentSpec(epoch, splits, probability, size, tileSide, mixupProbability, mixupMinRatio,
        mixupMaxRatio, letterboxSize, letterboxStride, padValue, mean, std, samplesPerShard);
  }

  /** A copy with mixup on the mosaic splits: the chance per sample, and the range of its own image's weight. */
  public DetectionAugmentSpec withMixup(double probability, double minRatio, double maxRatio) {
    return new DetectionAugmentSpec(epoch, mosaicSplits, mosaicProbability, mosaicSize, mosaicTileSide,
        probability, minRatio, maxRatio, letterboxSize, letterboxStride, padValue, mean, std, samplesPerShard);
  }

  public DetectionAugmentSpec withLetterbox(int size, int stride) {
    return new DetectionAugmentSpec(epoch, mosaicSplits, mosaicProbability, mosaicSize, mosaicTileSide,
        mixupProbability, mixupMinRatio, mixupMaxRatio, size, stride, padValue, mean, std, samplesPerShard);
  }

  public DetectionAugmentSpec withNormalize(List<Double> newMean, List<Double> newStd) {
    return new DetectionAugmentSpec(epoch, mosaicSplits, mosaicProbability, mosaicSize, mosaicTileSide,
        mixupProbability, mixupMinRatio, mixupMaxRatio, letterboxSize, letterboxStride, padValue, newMean, newStd,
        samplesPerShard);
  }

  public DetectionAugmentSpec withSamplesPerShard(int value) {
    return new DetectionAugmentSpec(epoch, mosaicSplits, mosaicProbability, mosaicSize, mosaicTileSide,
        mixupProbability, mixupMinRatio, mixupMaxRatio, letterboxSize, letterboxStride, padValue, mean, std, value);
  }

  /** The mosaic kernel's spec: YOLO's centre range and box filter, this spec's canvas, tile side and padding. */
  public MosaicSpec mosaic() {
    return MosaicSpec.of(mosaicSize).withTileSide(mosaicTileSide).withPadValue(padValue);
  }

  /** The mixup kernel's spec: this spec's ratio range. */
  public MixupSpec mixup() {
    return new MixupSpec(mixupMinRatio, mixupMaxRatio);
  }

  /** The letterbox kernel's spec (bilinear). */
  public LetterboxSpec letterbox() {
    return new LetterboxSpec(letterboxSize, letterboxStride, padValue, Interpolation.BILINEAR);
  }

  /** The normalize kernel's spec. */
  public NormalizeSpec normalize() {
    return NormalizeSpec.of(mean, std);
  }

  /** True when some split gets mosaic at all. */
  public boolean mosaics() {
    return mosaicProbability > 0 && !mosaicSplits.isEmpty();
  }

  /** True when some split gets mixup at all. */
  public boolean mixes() {
    return mixupProbability > 0 && !mosaicSplits.isEmpty();
  }
}
