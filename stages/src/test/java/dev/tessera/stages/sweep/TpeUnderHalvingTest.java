package dev.tessera.stages.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What TPE learns from a sweep with successive halving: each trial counts with its value at the highest rung it
 * reached, and trials that went further rank first (Optuna's rule for TPE with a pruner).
 */
class TpeUnderHalvingTest {

  private static SweepRecord finished(int index, double x, int rung, double accuracy) {
    return new SweepRecord(index, Map.of("x", format(x)), "FINISHED", accuracy, "run" + index, null, rung,
        rung + 1);
  }

  private static String format(double x) {
    return String.format(Locale.ROOT, "%.3f", x);
  }

  @Test
  void aPromotedTrialCountsWithItsValueAtTheHighestRungItFinished() {
    List<SweepRecord> records = List.of(
        finished(0, 0.1, 0, 0.50),
        finished(1, 0.8, 0, 0.70),
        finished(0, 0.1, 1, 0.80),
        new SweepRecord(2, Map.of("x", "0.500"), "FINISHED", 0.60, "run2", null, 0, 1),
        new SweepRecord(2, Map.of("x", "0.500"), "FAILED", null, "run2", "OutOfMemoryError", 1, 3));
    List<FinishedTrial> history = SweepScheduler.observations(records);
    assertEquals(List.of(
        new FinishedTrial(new Trial(Map.of("x", "0.100")), 0.80, 1),
        new FinishedTrial(new Trial(Map.of("x", "0.800")), 0.70, 0),
        new FinishedTrial(new Trial(Map.of("x", "0.500")), 0.60, 0)), history,
        "trial 0 with its rung-1 value; trial 2 keeps rung 0's value, its promotion failed");
  }

  @Test
  void trialsThatWentFurtherRankFirstThenByValue() {
    TpeSearch tpe = new TpeSearch(SearchSpace.parse("x=uniform(0,1)"), Direction.MAXIMIZE);
    List<FinishedTrial> history = List.of(
        new FinishedTrial(new Trial(Map.of("x", "0.1")), 0.99, 0),   // best value, but stopped at rung 0
        new FinishedTrial(new Trial(Map.of("x", "0.2")), 0.90, 2),
        new FinishedTrial(new Trial(Map.of("x", "0.3")), 0.95, 1),
        new FinishedTrial(new Trial(Map.of("x", "0.4")), 0.92, 2),
        new FinishedTrial(new Trial(Map.of("x", "0.5")), 0.50, 0));
    assertEquals(List.of(3, 1, 2, 0, 4), tpe.ranked(history));
    TpeSearch minimizing = new TpeSearch(SearchSpace.parse("x=uniform(0,1)"), Direction.MINIMIZE);
    assertEquals(List.of(1, 3, 2, 4, 0), minimizing.ranked(history), "lower is better within a rung");
  }

  /**
   * Trial 0 (x = 0.1) is the worst at rung 0 but was promoted and is the best at rung 1; nine trials near x = 0.85
   * did better at rung 0 and were stopped there. TPE's good density (the best 10%: one trial) is trial 0's, so it
   * proposes x near 0.1. Judged by rung-0 values alone, the good trial would be one near 0.85.
   */
  @Test
  void tpeProposesNearThePromotedTrialNotNearTheBestFirstRungValues() {
    List<SweepRecord> records = new ArrayList<>();
    records.add(finished(0, 0.1, 0, 0.50));
    for (int i = 1; i <= 9; i++) {
      records.add(finished(i, 0.80 + 0.01 * i, 0, 0.60 + 0.01 * i));
    }
    records.add(finished(0, 0.1, 1, 0.80));
    TpeSearch tpe = new TpeSearch(SearchSpace.parse("x=uniform(0,1)"), Direction.MAXIMIZE,
        TpeSettings.defaults().withStartupTrials(1));
    List<FinishedTrial> history = SweepScheduler.observations(records);
    for (long seed = 0; seed < 5; seed++) {
      double x = Double.parseDouble(tpe.suggest(history, new Random(seed)).values().get("x"));
      assertTrue(x < 0.5, "seed " + seed + ": proposed x=" + x + ", not near the promoted trial at 0.1");
    }
    assertEquals(0, tpe.ranked(history).get(0), "the good trial is the promoted one");
    List<FinishedTrial> firstRungOnly = history.stream()
        .map(t -> new FinishedTrial(t.trial(), t.trial().values().get("x").equals("0.100") ? 0.50 : t.value(), 0))
        .toList();
    assertEquals(9, tpe.ranked(firstRungOnly).get(0), "judged by rung-0 values, it would be trial 9 at x=0.89");
  }
}
