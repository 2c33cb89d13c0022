package dev.tessera.transforms.augment;

import dev.tessera.transforms.sample.Sample;
import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A random augmentation over several samples that yields one sample, such as mosaic (4) or mixup (2). The first
 * member is the anchor: the output keeps its id, split and source. Its output is a pure function of the members
 * (in the given order) and the generator, which {@link Mosaic} draws from (seed, epoch, anchor id).
 */
public interface GroupFunction extends Serializable {

  /** How many members {@link #apply} takes. */
  int arity();

  /** The name of this augmentation's random stream. */
  String stream();

  /** The combined sample; {@code members.size() == arity()}; draws only from {@code random}. */
  Sample apply(List<Sample> members, SplittableRandom random);
}
