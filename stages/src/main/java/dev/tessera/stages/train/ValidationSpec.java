package dev.tessera.stages.train;

/**
 * Which samples the train stage validates on after every epoch ({@code val/loss}, {@code val/accuracy}): the
 * dataset's own split of that name if it has one, else a seeded hold-out fraction of the training split (those
 * samples are then not trained on). Both empty: no validation.
 *
 * <pre>{@code
 * new ValidationSpec("validation", 0.1)   // the 'validation' split, or 10% of train where there is none
 * }</pre>
 *
 * @param split the name of the dataset split to validate on, or empty for none
 * @param holdoutFraction the fraction of the training split to hold out when the dataset has no split named
 *     {@code split}, in [0, 0.5]; 0: none. Drawn per sample from (seed, shard, row): the same seed holds out the
 *     same samples
 */
public record ValidationSpec(String split, double holdoutFraction) {

  public ValidationSpec {
    split = split == null ? "" : split;
    if (!(holdoutFraction >= 0 && holdoutFraction <= 0.5)) {
      throw new IllegalArgumentException("train.validation.holdoutFraction must be in [0, 0.5] (0: no hold-out), but "
          + "was " + holdoutFraction);
    }
  }

  /** No validation. */
  public static ValidationSpec none() {
    return new ValidationSpec("", 0);
  }

  /** Whether any validation can happen. */
  boolean enabled() {
    return !split.isEmpty() || holdoutFraction > 0;
  }
}
