package dev.tessera.transforms.sample;

import java.io.Serializable;

/**
 * A per-sample transform built from kernels, such as resize then normalize. Serializable so Beam can ship it to
 * workers; implementations hold only their spec and are stateless, so one instance may serve many threads.
 */
@FunctionalInterface
public interface SampleFunction extends Serializable {

  /** The transformed sample; never null. */
  Sample apply(Sample sample);

  /** This function, then {@code next}. */
  default SampleFunction andThen(SampleFunction next) {
    SampleFunction first = this;
    return sample -> next.apply(first.apply(sample));
  }

  /** The function that returns its input. */
  static SampleFunction identity() {
    return sample -> sample;
  }
}
