package dev.tessera.stages.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much of the objective's variance each parameter explains on its own, over the finished trials.
 *
 * <p>The measure is the correlation ratio {@code eta^2 = between-group variance / total variance}: trials are grouped
 * by the parameter's value (one group per choice; for a range, {@code bins} groups of equal count along its value,
 * on a log scale for log ranges; trials where a conditional parameter is inactive form a group of their own), and
 * the variance of the group means (weighted by group size) is divided by the variance of all values. It is the
 * first-order, main-effect share of the variance that fANOVA (Hutter, Hoos and Leyton-Brown, 2014) computes from a
 * random forest, estimated here directly by binning. It needs no model and is exact for a grid, but with {@code n}
 * trials and {@code k} groups a parameter with no effect at all still scores about {@code (k-1)/(n-1)}, and
 * interactions between parameters are not counted: read it as a ranking, not as precise shares.
 *
 * <pre>{@code
 * Map<String, Double> importance = ParameterImportance.of(space, trials, values);   // highest first
 * }</pre>
 */
public final class ParameterImportance {
  private ParameterImportance() {}

  /**
   * Each parameter's {@code eta^2} in [0, 1], highest first (ties in declaration order).
   *
   * @param space the searched parameters
   * @param trials the finished trials' settings
   * @param values their objective values, in the same order, all finite
   * @throws IllegalArgumentException when the counts differ, fewer than 3 trials are given, or a value is not finite
   */
  public static Map<String, Double> of(SearchSpace space, List<Trial> trials, double[] values) {
    if (trials.size() != values.length) {
      throw new IllegalArgumentException("importance needs one value per trial, but got " + trials.size()
          + " trials and " + values.length + " values");
    }
    if (trials.size() < 3) {
      throw new IllegalArgumentException("importance needs at least 3 finished trials, but got " + trials.size()
          + "; run more trials");
    }
    for (double value : values) {
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException("importance needs finite objective values, but got " + value
            + "; leave failed trials out");
      }
    }
    int bins = Math.max(2, Math.min(5, (int) Math.round(Math.sqrt(trials.size()))));
    Map<String, Double> importance = new LinkedHashMap<>();
    for (Parameter parameter : space.parameters()) {
      importance.put(parameter.name(), correlationRatio(groups(parameter, trials, bins), values));
    }
    List<Map.Entry<String, Double>> sorted = new ArrayList<>(importance.entrySet());
    sorted.sort(Map.Entry.<String, Double>comparingByValue().reversed());
    Map<String, Double> out = new LinkedHashMap<>();
    sorted.forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** The group of each trial: a choice's index, a range's bin (by rank), or -1 where the parameter is inactive. */
  static int[] groups(Parameter parameter, List<Trial> trials, int bins) {
    int[] groups = new int[trials.size()];
    List<Integer> active = new ArrayList<>();
    double[] position = new double[trials.size()];
    for (int i = 0; i < trials.size(); i++) {
      String text = trials.get(i).values().get(parameter.name());
      if (text == null) {
        groups[i] = -1;
        continue;
      }
      double internal = parameter.internal(text);
      position[i] = isLog(parameter) ? Math.log(internal) : internal;
      active.add(i);
    }
    if (parameter instanceof Choice) {
      active.forEach(i -> groups[i] = (int) position[i]);
      return groups;
    }
    // Equal-count bins along the value; equal values share a bin, so a range tried at few values groups by value.
    active.sort(Comparator.comparingDouble(i -> position[i]));
    for (int rank = 0; rank < active.size(); rank++) {
      int i = active.get(rank);
      int first = rank;
      while (first > 0 && position[active.get(first - 1)] == position[i]) {
        first--;
      }
      groups[i] = first * bins / active.size();
    }
    return groups;
  }

  private static boolean isLog(Parameter parameter) {
    return (parameter instanceof FloatRange f && f.log()) || (parameter instanceof IntRange r && r.log());
  }

  /** Between-group variance over total variance; 0 when the values do not vary. */
  static double correlationRatio(int[] groups, double[] values) {
    double mean = 0;
    for (double value : values) {
      mean += value;
    }
    mean /= values.length;
    double total = 0;
    for (double value : values) {
      total += (value - mean) * (value - mean);
    }
    if (total == 0) {
      return 0;
    }
    Map<Integer, double[]> sums = new HashMap<>(); // group -> {sum, count}
    for (int i = 0; i < values.length; i++) {
      double[] sum = sums.computeIfAbsent(groups[i], g -> new double[2]);
      sum[0] += values[i];
      sum[1]++;
    }
    double between = 0;
    for (double[] sum : sums.values()) {
      double groupMean = sum[0] / sum[1];
      between += sum[1] * (groupMean - mean) * (groupMean - mean);
    }
    return Math.min(1, between / total);
  }
}
