package dev.tessera.stages.train;

import dev.tessera.transforms.augment.FlipSample;
import dev.tessera.transforms.augment.RandomResizedCropSample;
import dev.tessera.transforms.augment.RandomSampleFunction;
import dev.tessera.transforms.image.FlipSpec;
import dev.tessera.transforms.image.ImageTransforms;
import dev.tessera.transforms.image.Interpolation;
import dev.tessera.transforms.image.NormalizeSpec;
import dev.tessera.transforms.image.RandomResizedCropSpec;
import dev.tessera.transforms.image.ResizeNormalize;
import java.util.ArrayList;
import java.util.List;

/**
 * The trainer's online path: the train stage reads {@code uint8} HWC shards (an ingest output) and prepares every
 * sample afresh in each epoch with the same kernels the Beam stages use: an optional random resized crop, an
 * optional horizontal flip, then resize (bilinear) and normalize to float CHW. Every random draw comes from
 * (train seed, epoch, sample id), so a run is reproducible and each epoch sees new augmentations. With no
 * augmentation the floats equal those of {@code Preprocess} with the same size, mean and std, bit for bit.
 *
 * <pre>{@code
 * Train.classifier(Models.lenet().withInput(1, 32, 32))
 *     .online(OnlineSpec.resizeNormalize(32, 32, 0.1307, 0.3081).withRandomResizedCrop(0.8))
 * }</pre>
 *
 * @param resizeWidth width of the model input in pixels
 * @param resizeHeight height of the model input in pixels
 * @param mean per-channel mean in [0, 1] units (one value, or one per channel)
 * @param std per-channel standard deviation in [0, 1] units, each > 0
 * @param flipProbability chance of a horizontal flip per sample and epoch, in [0, 1]; 0 turns flipping off
 * @param minCropScale smallest area fraction of a random resized crop (aspect ratio in [3/4, 4/3]), in (0, 1];
 *     1 turns cropping off
 */
public record OnlineSpec(int resizeWidth, int resizeHeight, List<Double> mean, List<Double> std,
    double flipProbability, double minCropScale) {

  public OnlineSpec {
    if (resizeWidth < 1 || resizeHeight < 1) {
      throw new IllegalArgumentException("train.online.resizeWidth and train.online.resizeHeight must be >= 1 "
          + "(the model's input size), but were " + resizeWidth + "x" + resizeHeight);
    }
    if (mean == null || std == null) {
      throw new IllegalArgumentException("train.online.mean and train.online.std must be set, for example [0.5] "
          + "and [0.25], but " + (mean == null ? "mean" : "std") + " was null");
    }
    mean = List.copyOf(mean);
    std = List.copyOf(std);
    if (!(flipProbability >= 0 && flipProbability <= 1)) {
      throw new IllegalArgumentException("train.online.flipProbability must be in [0, 1], but was "
          + flipProbability);
    }
    if (!(minCropScale > 0 && minCropScale <= 1)) {
      throw new IllegalArgumentException("train.online.minCropScale must be in (0, 1] (1 = no crop), but was "
          + minCropScale);
    }
    ImageTransforms.resize(resizeWidth, resizeHeight);
    NormalizeSpec.of(mean, std); // validates the values with the kernel's messages
  }

  /** Resize to {@code width x height} and normalize every channel with one mean and std; no augmentation. */
  public static OnlineSpec resizeNormalize(int width, int height, double mean, double std) {
    return new OnlineSpec(width, height, List.of(mean), List.of(std), 0, 1);
  }

  /** A copy that flips horizontally with probability {@code probability}. */
  public OnlineSpec withFlip(double probability) {
    return new OnlineSpec(resizeWidth, resizeHeight, mean, std, probability, minCropScale);
  }

  /** A copy with a random resized crop covering at least {@code minScale} of the image area. */
  public OnlineSpec withRandomResizedCrop(double minScale) {
    return new OnlineSpec(resizeWidth, resizeHeight, mean, std, flipProbability, minScale);
  }

  /** A copy without flips and crops: only resize and normalize (what validation and evaluation see). */
  public OnlineSpec withoutAugmentation() {
    return new OnlineSpec(resizeWidth, resizeHeight, mean, std, 0, 1);
  }

  /** The random augmentations, in order, before resize and normalize. */
  public List<RandomSampleFunction> augmentations() {
    List<RandomSampleFunction> steps = new ArrayList<>();
    if (minCropScale < 1) {
      steps.add(new RandomResizedCropSample(new RandomResizedCropSpec(resizeWidth, resizeHeight, minCropScale, 1,
          3.0 / 4, 4.0 / 3, Interpolation.BILINEAR)));
    }
    if (flipProbability > 0) {
      steps.add(new FlipSample(FlipSpec.horizontal(flipProbability)));
    }
    return steps;
  }

  /** The steps in order, for logs: {@code random resized crop, scale >= 0.85, resize 32x32 + normalize}. */
  public String describe() {
    List<String> steps = new ArrayList<>();
    if (minCropScale < 1) {
      steps.add("random resized crop, scale >= " + minCropScale);
    }
    if (flipProbability > 0) {
      steps.add("flip p=" + flipProbability);
    }
    steps.add("resize " + resizeWidth + "x" + resizeHeight + " + normalize");
    return String.join(", ", steps);
  }

  /** A new resize-and-normalize kernel (not thread-safe: one per thread). */
  public ResizeNormalize kernel() {
    return ResizeNormalize.of(ImageTransforms.resize(resizeWidth, resizeHeight), NormalizeSpec.of(mean, std));
  }
}
