package dev.tessera.stages.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class TpeSearchTest {
  private static final SearchSpace SPACE = SearchSpace.parse("""
      opt=choice(adam,sgd)
      lr=loguniform(1e-5,1)
      momentum=uniform(0,1) if opt=sgd
      layers=int(1,6)""");

  /** Best with sgd, lr 1e-2, momentum 0.9 and 4 layers. */
  private static double objective(Trial trial) {
    Map<String, String> v = trial.values();
    double lr = Math.log10(Double.parseDouble(v.get("lr"))) + 2;
    double layers = Integer.parseInt(v.get("layers")) - 4;
    double loss = lr * lr + 0.1 * layers * layers;
    if (v.get("opt").equals("sgd")) {
      double m = Double.parseDouble(v.get("momentum")) - 0.9;
      loss += m * m;
    } else {
      loss += 0.5;
    }
    return loss;
  }

  private static List<FinishedTrial> run(Strategy strategy, int trials, long seed,
      ToDoubleFunction<Trial> objective) {
    Random random = new Random(seed);
    List<FinishedTrial> history = new ArrayList<>();
    for (int i = 0; i < trials; i++) {
      Trial trial = strategy.suggest(history, random);
      history.add(new FinishedTrial(trial, objective.applyAsDouble(trial)));
    }
    return history;
  }

  @Test
  void sameSeedSameTrialsAndAnotherSeedOtherTrials() {
    TpeSearch tpe = new TpeSearch(SPACE, Direction.MINIMIZE);
    List<FinishedTrial> first = run(tpe, 30, 7, TpeSearchTest::objective);
    assertEquals(first, run(tpe, 30, 7, TpeSearchTest::objective));
    assertNotEquals(first, run(tpe, 30, 8, TpeSearchTest::objective));
  }

  @Test
  void startupTrialsAreRandomSearch() {
    List<FinishedTrial> tpe = run(new TpeSearch(SPACE, Direction.MINIMIZE), 10, 3, TpeSearchTest::objective);
    List<FinishedTrial> random = run(new RandomSearch(SPACE), 10, 3, TpeSearchTest::objective);
    assertEquals(random, tpe);
  }

  @Test
  void conditionalParametersFollowTheirParentAndValuesStayLegal() {
    for (FinishedTrial finished : run(new TpeSearch(SPACE, Direction.MINIMIZE), 40, 1, TpeSearchTest::objective)) {
      Map<String, String> v = finished.trial().values();
      assertEquals(v.get("opt").equals("sgd"), v.containsKey("momentum"), v.toString());
      SPACE.parameters().stream().filter(p -> v.containsKey(p.name())).forEach(p -> p.internal(v.get(p.name())));
    }
  }

  @Test
  void modelsTheHistoryAndConvergesOnTheBestRegion() {
    for (boolean multivariate : new boolean[] {true, false}) {
      TpeSearch tpe = new TpeSearch(SPACE, Direction.MINIMIZE, TpeSettings.defaults().withMultivariate(multivariate));
      List<FinishedTrial> history = run(tpe, 60, 4, TpeSearchTest::objective);
      List<FinishedTrial> late = history.subList(40, 60);
      long sgd = late.stream().filter(t -> t.trial().values().get("opt").equals("sgd")).count();
      long nearLr = late.stream().filter(t -> {
        double lr = Double.parseDouble(t.trial().values().get("lr"));
        return lr > 1e-3 && lr < 1e-1;
      }).count();
      // Random search would pick sgd in half the trials and lr within a decade of 1e-2 in 2/5 of them.
      assertTrue(sgd >= 13, "late trials on sgd (multivariate=" + multivariate + "): " + sgd);
      assertTrue(nearLr >= 13, "late trials with lr in (1e-3, 1e-1) (multivariate=" + multivariate + "): " + nearLr);
    }
  }

  @Test
  void maximizingTheNegatedObjectiveFindsTheSameRegion() {
    SearchSpace space = SearchSpace.parse("x=uniform(-10,10)");
    ToDoubleFunction<Trial> peak = t -> -Math.abs(Double.parseDouble(t.values().get("x")) - 7);
    List<FinishedTrial> history = run(new TpeSearch(space, Direction.MAXIMIZE), 40, 2, peak);
    double best = history.stream().mapToDouble(FinishedTrial::value).max().orElseThrow();
    assertTrue(best > -0.2, "best value when maximizing: " + best);
    long late = history.subList(25, 40).stream()
        .filter(t -> Math.abs(Double.parseDouble(t.trial().values().get("x")) - 7) < 3).count();
    assertTrue(late >= 9, "late trials within 3 of the peak: " + late);
  }

  @Test
  void settingsRejectValuesOptunaWouldNotAccept() {
    String message = assertThrows(IllegalArgumentException.class,
        () -> TpeSettings.defaults().withPriorWeight(-1)).getMessage();
    assertEquals("tpe.priorWeight must be a finite number >= 0, but was -1.0 (Optuna uses 1.0).", message);
    assertEquals(1, TpeSettings.defaults().goodCount(10));
    assertEquals(2, TpeSettings.defaults().goodCount(11));
    assertEquals(25, TpeSettings.defaults().goodCount(1000));
  }

  @Test
  void olderObservationsWeighLessPastTwentyFive() {
    double[] weights = TpeSettings.observationWeights(30);
    assertEquals(1.0 / 30, weights[0], 1e-12);
    assertEquals(1.0, weights[4], 1e-12);
    assertEquals(1.0, weights[29], 1e-12);
    assertTrue(weights[1] > weights[0] && weights[2] > weights[1]);
    assertEquals(List.of(1.0, 1.0), Arrays.stream(TpeSettings.observationWeights(2)).boxed().toList());
  }
}
