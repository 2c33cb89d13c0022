package dev.tessera.stages.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GridSearchTest {

  @Test
  void spacesRangesEvenlyOnTheirScale() {
    assertEquals(List.of("0.0", "0.25", "0.5", "0.75", "1.0"),
        GridSearch.values(new FloatRange("x", 0, 1, false), 5));
    assertEquals(List.of("1.0E-4", "0.001", "0.01", "0.1"),
        GridSearch.values(new FloatRange("lr", 1e-4, 1e-1, true), 4).stream()
            .map(v -> Double.toString(Math.round(Double.parseDouble(v) * 1e8) / 1e8)).toList());
    assertEquals(List.of("16", "64", "256"), GridSearch.values(new IntRange("w", 16, 256, true), 3));
    assertEquals(List.of("1", "2", "3"), GridSearch.values(new IntRange("n", 1, 3, false), 10),
        "an integer range never yields more points than it has integers");
  }

  @Test
  void variesConditionalParametersOnlyWhereActive() {
    SearchSpace space = SearchSpace.parse("""
        opt=choice(adam,sgd)
        momentum=uniform(0,0.9) if opt=sgd
        epochs=int(1,3)""");
    GridSearch grid = new GridSearch(space, Map.of("momentum", 4), 2);
    // adam: 2 epochs values; sgd: 4 momenta x 2 epochs values.
    assertEquals(2 + 8, grid.points().size());
    assertEquals(10, new HashSet<>(grid.points()).size());
    assertTrue(grid.points().stream().filter(t -> t.values().get("opt").equals("adam"))
        .noneMatch(t -> t.values().containsKey("momentum")));
  }

  @Test
  void proposesEachPointOnceThenSaysItIsDone() {
    GridSearch grid = new GridSearch(SearchSpace.parse("a=choice(x,y)\nb=int(0,1)"), Map.of(), 2);
    List<FinishedTrial> history = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      history.add(new FinishedTrial(grid.suggest(history, new Random(i)), i));
    }
    assertEquals(grid.points(), history.stream().map(FinishedTrial::trial).toList());
    String message = assertThrows(IllegalStateException.class, () -> grid.suggest(history, new Random()))
        .getMessage();
    assertTrue(message.startsWith("All 4 grid points have been tried"), message);
  }

  @Test
  void resumesAfterTheTrialsAlreadyInTheHistory() {
    GridSearch grid = new GridSearch(SearchSpace.parse("a=int(1,3)"), Map.of(), 3);
    List<FinishedTrial> history = List.of(new FinishedTrial(grid.points().get(0), 1.0),
        new FinishedTrial(grid.points().get(2), 2.0));
    assertEquals(grid.points().get(1), grid.suggest(history, new Random()));
  }

  @Test
  void rejectsPointCountsThatCannotSpanARange() {
    SearchSpace space = SearchSpace.parse("a=choice(x,y)\nb=uniform(0,1)");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new GridSearch(space, Map.of("b", 1), 3))
        .getMessage().contains("'b' must be >= 2"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new GridSearch(space, Map.of("a", 3), 3))
        .getMessage().contains("which is a choice"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new GridSearch(space, Map.of("c", 3), 3))
        .getMessage().contains("no parameter 'c'; declared: [a, b]"));
  }
}
