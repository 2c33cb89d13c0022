package dev.tessera.stages.sweep;

import java.util.List;
import java.util.Random;

/**
 * Proposes the next trial from the finished ones. Strategies hold no mutable state: the same history and the same
 * {@link Random} state give the same trial, so a sweep resumed from its history continues as it would have.
 */
public interface Strategy {

  /** The next trial to run, given the finished trials in the order they were started. */
  Trial suggest(List<FinishedTrial> history, Random random);
}
