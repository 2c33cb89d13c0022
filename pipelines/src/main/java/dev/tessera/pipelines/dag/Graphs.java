package dev.tessera.pipelines.dag;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Graph checks behind {@link Experiment.Builder#build()}. */
final class Graphs {
  private Graphs() {}

  /** A cycle as a path that starts and ends with the same stage, or an empty list. */
  static List<String> findCycle(Map<String, StageNode> byName) {
    Map<String, Integer> state = new HashMap<>(); // 1 = on the current path, 2 = done
    for (String start : byName.keySet()) {
      List<String> path = new ArrayList<>();
      List<String> cycle = visit(start, byName, state, path);
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    return List.of();
  }

  private static List<String> visit(
      String stage, Map<String, StageNode> byName, Map<String, Integer> state, List<String> path) {
    Integer s = state.get(stage);
    if (s != null && s == 2) {
      return List.of();
    }
    if (s != null && s == 1) {
      // The path runs dependency-ward; print it in data-flow order: producer -> consumer -> ... -> producer.
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(stage), path.size()));
      cycle.add(stage);
      java.util.Collections.reverse(cycle);
      return cycle;
    }
    state.put(stage, 1);
    path.add(stage);
    for (String dependency : byName.get(stage).after()) {
      List<String> cycle = visit(dependency, byName, state, path);
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    path.remove(path.size() - 1);
    state.put(stage, 2);
    return List.of();
  }

  /** Kahn's algorithm, taking ready stages in declaration order. */
  static List<StageNode> topologicalOrder(Map<String, StageNode> byName) {
    List<StageNode> order = new ArrayList<>();
    Set<String> done = new HashSet<>();
    Set<String> remaining = new LinkedHashSet<>(byName.keySet());
    while (!remaining.isEmpty()) {
      for (String name : remaining) {
        if (done.containsAll(byName.get(name).after())) {
          order.add(byName.get(name));
          done.add(name);
          remaining.remove(name);
          break;
        }
      }
    }
    return order;
  }

  /**
   * Binds each dependency to one of the stage's input slots by kind, in order, and reports dependencies that fit
   * no slot and slots left empty.
   */
  static List<String> checkInputs(StageNode node, Map<String, StageNode> byName) {
    List<String> problems = new ArrayList<>();
    List<ArtifactKind> slots = node.stage().inputs();
    boolean[] filled = new boolean[slots.size()];
    Map<Integer, String> filledBy = new LinkedHashMap<>();
    for (String dependency : node.after()) {
      ArtifactKind produced = byName.get(dependency).stage().output();
      int slot = -1;
      for (int i = 0; i < slots.size(); i++) {
        if (!filled[i] && slots.get(i).equals(produced)) {
          slot = i;
          break;
        }
      }
      if (slot >= 0) {
        filled[slot] = true;
        filledBy.put(slot, dependency);
      } else if (slots.contains(produced)) {
        problems.add("Stage '" + node.name() + "' takes " + count(slots, produced) + " input(s) of kind '"
            + produced + "', but '" + dependency + "' would be one more (already bound: "
            + boundOfKind(slots, filledBy, produced) + "). Remove '" + dependency + "' from after(...).");
      } else {
        problems.add("Stage '" + node.name() + "' cannot read from '" + dependency + "': '" + dependency
            + "' produces '" + produced + "', but '" + node.name() + "' accepts " + slots
            + ". Depend on a stage that produces one of those.");
      }
    }
    for (int i = 0; i < slots.size(); i++) {
      if (!filled[i]) {
        problems.add("Stage '" + node.name() + "' needs an input of kind '" + slots.get(i)
            + "', but none of its dependencies " + node.after() + " produces one. Add a stage that produces '"
            + slots.get(i) + "' to its after(...).");
      }
    }
    return problems;
  }

  private static long count(List<ArtifactKind> slots, ArtifactKind kind) {
    return slots.stream().filter(kind::equals).count();
  }

  private static List<String> boundOfKind(List<ArtifactKind> slots, Map<Integer, String> filledBy,
      ArtifactKind kind) {
    List<String> bound = new ArrayList<>();
    filledBy.forEach((slot, stage) -> {
      if (slots.get(slot).equals(kind)) {
        bound.add(stage);
      }
    });
    return bound;
  }

  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
