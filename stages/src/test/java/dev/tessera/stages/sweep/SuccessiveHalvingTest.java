package dev.tessera.stages.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuccessiveHalvingTest {
  private static final HalvingSettings EPOCHS_1_TO_9 = new HalvingSettings(1, 9, 3, Direction.MINIMIZE);

  /** Nine trials at rung 0; t9 is the best (loss 1), t1 the worst (loss 9). */
  private static List<RungResult> rungZero() {
    List<RungResult> results = new ArrayList<>();
    for (int i = 1; i <= 9; i++) {
      results.add(new RungResult("t" + i, 0, 10 - i));
    }
    return results;
  }

  @Test
  void rungsGrowByEtaUpToTheMaximumBudget() {
    assertEquals(List.of(1.0, 3.0, 9.0), EPOCHS_1_TO_9.rungBudgets());
    assertEquals(List.of(1.0, 3.0, 9.0), new HalvingSettings(1, 20, 3, Direction.MINIMIZE).rungBudgets());
    assertEquals(List.of(2.0, 4.0, 8.0, 16.0), new HalvingSettings(2, 16, 2, Direction.MINIMIZE).rungBudgets());
    String message = assertThrows(IllegalArgumentException.class,
        () -> new HalvingSettings(1, 9, 1, Direction.MINIMIZE)).getMessage();
    assertEquals("halving.eta must be >= 2, but was 1 (3 keeps the best third at each rung).", message);
  }

  @Test
  void ashaPromotesTheTopThirdOfARung() {
    SuccessiveHalving asha = SuccessiveHalving.asynchronous(EPOCHS_1_TO_9);
    List<Promotion> promotions = asha.promotable(rungZero(), Map.of());
    assertEquals(List.of(new Promotion("t9", 0, 1, 3.0), new Promotion("t8", 0, 1, 3.0),
        new Promotion("t7", 0, 1, 3.0)), promotions);
    // A trial already running towards rung 1 is not promoted twice.
    assertEquals(List.of("t8", "t7"),
        asha.promotable(rungZero(), Map.of("t9", 1)).stream().map(Promotion::trial).toList());
  }

  @Test
  void ashaPromotesFromTheHighestRungFirst() {
    SuccessiveHalving asha = SuccessiveHalving.asynchronous(EPOCHS_1_TO_9);
    List<RungResult> results = new ArrayList<>(rungZero());
    results.add(new RungResult("t9", 1, 0.5));
    results.add(new RungResult("t8", 1, 0.7));
    results.add(new RungResult("t7", 1, 0.6));
    assertEquals(Optional.of(new Promotion("t9", 1, 2, 9.0)), asha.next(results, Map.of()));
    assertEquals(Optional.empty(), asha.next(results, Map.of("t9", 2)), "nothing left: start a new trial");
  }

  @Test
  void ashaDecidesBeforeARungIsFullAndRevisesAsItFills() {
    SuccessiveHalving asha = SuccessiveHalving.asynchronous(EPOCHS_1_TO_9);
    List<RungResult> results = new ArrayList<>(List.of(new RungResult("a", 0, 5), new RungResult("b", 0, 1)));
    assertEquals(Optional.empty(), asha.next(results, Map.of()), "two results: floor(2/3) = 0 may go on");
    results.add(new RungResult("c", 0, 3));
    assertEquals("b", asha.next(results, Map.of()).orElseThrow().trial());
    results.add(new RungResult("d", 0, 0.5));
    // b went on already; with four results the top one is now d, which goes on too.
    assertEquals(List.of("d"), asha.promotable(results, Map.of("b", 1)).stream().map(Promotion::trial).toList());
  }

  @Test
  void synchronousHalvingWaitsForTheWholeRung() {
    SuccessiveHalving halving = SuccessiveHalving.synchronous(EPOCHS_1_TO_9, 9);
    List<RungResult> eight = rungZero().subList(0, 8);
    assertEquals(List.of(), halving.promotable(eight, Map.of()));
    assertEquals(List.of("t9", "t8", "t7"),
        halving.promotable(rungZero(), Map.of()).stream().map(Promotion::trial).toList());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SuccessiveHalving.synchronous(EPOCHS_1_TO_9, 2))
        .getMessage().contains("at least eta=3 trials"));
  }

  @Test
  void maximizingPromotesTheLargestValues() {
    SuccessiveHalving asha =
        SuccessiveHalving.asynchronous(new HalvingSettings(1, 9, 3, Direction.MAXIMIZE));
    assertEquals(List.of("t1", "t2", "t3"),
        asha.promotable(rungZero(), Map.of()).stream().map(Promotion::trial).toList());
  }

  @Test
  void reportCountsPromotionsStopsAndBudgetPerRung() {
    List<RungResult> results = new ArrayList<>(rungZero());
    results.add(new RungResult("t7", 1, 0.6));
    results.add(new RungResult("t8", 1, 0.7));
    results.add(new RungResult("t9", 1, 0.5));
    results.add(new RungResult("t9", 2, 0.4));
    HalvingReport report = SuccessiveHalving.asynchronous(EPOCHS_1_TO_9).report(results, Map.of("t1", 1));
    RungSummary zero = report.rungs().get(0);
    assertEquals(List.of("t1", "t7", "t8", "t9"), zero.promoted(), "t1 is running towards rung 1");
    assertEquals(List.of("t2", "t3", "t4", "t5", "t6"), zero.stopped());
    assertEquals(9.0, zero.budgetUsed());
    RungSummary one = report.rungs().get(1);
    assertEquals(List.of("t9"), one.promoted());
    assertEquals(List.of("t7", "t8"), one.stopped());
    assertEquals(3 * (3.0 - 1.0), one.budgetUsed(), "each trial resumes from its rung-0 checkpoint");
    RungSummary two = report.rungs().get(2);
    assertEquals(List.of(), two.stopped(), "the top rung stops nobody: those trials finished");
    assertEquals(6.0, two.budgetUsed());
    assertEquals(21.0, report.budgetUsed());
    assertEquals(81.0, report.budgetWithoutStopping());
  }

  @Test
  void rejectsResultsAboveTheTopRung() {
    String message = assertThrows(IllegalArgumentException.class, () -> SuccessiveHalving
        .asynchronous(EPOCHS_1_TO_9).promotable(List.of(new RungResult("x", 3, 1)), Map.of())).getMessage();
    assertEquals("Trial 'x' reported rung 3, but the rungs are 0..2 (budgets [1.0, 3.0, 9.0]).", message);
  }
}
