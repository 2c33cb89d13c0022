package dev.tessera.stages.sweep;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Every combination of the choices and of {@code points} evenly spaced values per range (geometrically spaced on
 * log ranges, rounded and de-duplicated on integer ranges); a conditional parameter is only varied where it is
 * active. Trials come in a fixed order (the first parameter varies slowest), skipping points already in the history.
 */
public final class GridSearch implements Strategy {
  private final List<Trial> points;

  /**
   * A grid with {@code defaultPoints} values per range, or the count in {@code pointsPerRange} for that path.
   *
   * <pre>{@code new GridSearch(space, Map.of("train.learningRate", 4), 3)}</pre>
   */
  public GridSearch(SearchSpace space, Map<String, Integer> pointsPerRange, int defaultPoints) {
    checkCount("defaultPoints", defaultPoints);
    for (Map.Entry<String, Integer> entry : pointsPerRange.entrySet()) {
      Parameter parameter = space.parameter(entry.getKey());
      if (parameter instanceof Choice) {
        throw new IllegalArgumentException("Grid points are set for '" + entry.getKey() + "', which is a choice: "
            + "a grid tries every choice; set points only for ranges.");
      }
      checkCount(entry.getKey(), entry.getValue());
    }
    List<Trial> all = new ArrayList<>();
    expand(space.parameters(), 0, new LinkedHashMap<>(), pointsPerRange, defaultPoints, all);
    this.points = List.copyOf(all);
  }

  /** Every grid point, in the order they are proposed. */
  public List<Trial> points() {
    return points;
  }

  @Override
  public Trial suggest(List<FinishedTrial> history, Random random) {
    Set<Map<String, String>> done = new HashSet<>();
    history.forEach(trial -> done.add(trial.trial().values()));
    for (Trial point : points) {
      if (!done.contains(point.values())) {
        return point;
      }
    }
    throw new IllegalStateException("All " + points.size() + " grid points have been tried: stop the sweep after "
        + points.size() + " trials, or give the ranges more points.");
  }

  /** The values of one parameter on the grid, as setting texts. */
  static List<String> values(Parameter parameter, int count) {
    List<String> out = new ArrayList<>();
    if (parameter instanceof Choice choice) {
      return choice.choices();
    }
    Ranges.Bounds bounds = Ranges.of(parameter);
    boolean log = bounds.log();
    double low = bounds.low();
    double high = bounds.high();
    for (int k = 0; k < count; k++) {
      double t = (double) k / (count - 1);
      double value = log ? Math.exp(Math.log(low) + t * (Math.log(high) - Math.log(low))) : low + t * (high - low);
      value = k == count - 1 ? high : value;
      String text = parameter.format(parameter instanceof IntRange ? Math.round(value) : value);
      if (!out.contains(text)) {
        out.add(text);
      }
    }
    return out;
  }

  private static void expand(List<Parameter> parameters, int index, Map<String, String> prefix,
      Map<String, Integer> counts, int defaultPoints, List<Trial> out) {
    if (index == parameters.size()) {
      out.add(new Trial(prefix));
      return;
    }
    Parameter parameter = parameters.get(index);
    if (!SearchSpace.isActive(parameter, prefix)) {
      expand(parameters, index + 1, prefix, counts, defaultPoints, out);
      return;
    }
    for (String value : values(parameter, counts.getOrDefault(parameter.name(), defaultPoints))) {
      Map<String, String> next = new LinkedHashMap<>(prefix);
      next.put(parameter.name(), value);
      expand(parameters, index + 1, next, counts, defaultPoints, out);
    }
  }

  private static void checkCount(String name, Integer count) {
    if (count == null || count < 2) {
      throw new IllegalArgumentException("Grid points for '" + name + "' must be >= 2 (both bounds), but was "
          + count + ".");
    }
  }
}
