package dev.tessera.stages.sweep;

import java.util.List;
import java.util.Random;

/** Draws every active parameter uniformly (log-uniformly on log ranges), ignoring the history. */
public record RandomSearch(SearchSpace space) implements Strategy {
  public RandomSearch {
    if (space == null) {
      throw new IllegalArgumentException("Random search needs a search space, but was null.");
    }
  }

  @Override
  public Trial suggest(List<FinishedTrial> history, Random random) {
    return space.sampleUniform(random);
  }
}
