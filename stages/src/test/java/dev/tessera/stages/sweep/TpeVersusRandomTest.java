package dev.tessera.stages.sweep;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TPE must find better values than random search with the same number of trials: the median best value over seeds
 * on each benchmark function (a smaller run than {@link SweepBenchmark}; behaviour, not speed).
 */
class TpeVersusRandomTest {

  @Test
  void tpeBeatsRandomSearchOnTheMedianBestValue() {
    int trials = 40;
    int seeds = 9;
    for (BenchmarkFunction function : List.of(BenchmarkFunction.mixedSphere(), BenchmarkFunction.branin(),
        BenchmarkFunction.hartmann6())) {
      double[] tpe = new double[seeds];
      double[] random = new double[seeds];
      for (int seed = 0; seed < seeds; seed++) {
        tpe[seed] = function.bestValue(new TpeSearch(function.space(), Direction.MINIMIZE), trials, seed);
        random[seed] = function.bestValue(new RandomSearch(function.space()), trials, seed + 1000);
      }
      double tpeMedian = SweepBenchmark.median(tpe);
      double randomMedian = SweepBenchmark.median(random);
      assertTrue(tpeMedian < randomMedian, function.name() + ": TPE median best " + tpeMedian
          + " vs random " + randomMedian);
    }
  }
}
