package dev.tessera.transforms.augment;

import dev.tessera.transforms.sample.Sample;
import dev.tessera.transforms.sample.SampleFunction;
import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * A random per-sample augmentation: its output is a pure function of the sample and the generator it is handed.
 * {@link #seeded} binds it to an experiment seed and epoch, giving a {@link SampleFunction} whose draws come from
 * {@link Randomness#forSample}(seed, epoch, sample id, {@link #stream}) — the same bytes on every runner and in any
 * element order; a new epoch gives new draws.
 */
public interface RandomSampleFunction extends Serializable {

  /** The augmented sample; draws only from {@code random}. */
  Sample apply(Sample sample, SplittableRandom random);

  /** The name of this augmentation's random stream, so different augmentations draw independently. */
  String stream();

  /**
   * This augmentation with its randomness fixed by (seed, epoch, sample id).
   *
   * <pre>{@code
   * SampleFunction epoch3 = new FlipSample(FlipSpec.horizontal(0.5)).seeded(42, 3);
   * }</pre>
   */
  default SampleFunction seeded(long seed, long epoch) {
    RandomSampleFunction self = this;
    String stream = stream();
    return sample -> self.apply(sample, Randomness.forSample(seed, epoch, sample.id(), stream));
  }
}
