package dev.tessera.stages.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Tree-structured Parzen estimator search (Bergstra et al., 2011), following Optuna 5.1's {@code TPESampler}.
 *
 * <p>After {@link TpeSettings#startupTrials()} random trials, the history is split into the best
 * {@link TpeSettings#goodCount(int)} trials and the rest (see {@link #ranked}); each part gets a Parzen density,
 * {@code l(x)} and
 * {@code g(x)}. {@link TpeSettings#eiCandidates()} candidates are drawn from {@code l} and the one with the largest
 * {@code log l(x) - log g(x)} is proposed. In multivariate mode the parameters that are always active are modelled
 * jointly; a conditional parameter is modelled on its own, from the trials where it was active (as Optuna does for
 * parameters outside the intersection search space). Deterministic for a given history and {@link Random} state.
 */
public record TpeSearch(SearchSpace space, Direction direction, TpeSettings settings) implements Strategy {
  public TpeSearch {
    if (space == null || direction == null || settings == null) {
      throw new IllegalArgumentException("TPE needs a search space, a direction and settings, but got space="
          + space + ", direction=" + direction + ", settings=" + settings + ".");
    }
  }

  /** TPE with Optuna's default settings. */
  public TpeSearch(SearchSpace space, Direction direction) {
    this(space, direction, TpeSettings.defaults());
  }

  @Override
  public Trial suggest(List<FinishedTrial> history, Random random) {
    if (history.size() < settings.startupTrials()) {
      return space.sampleUniform(random);
    }
    List<Integer> byLoss = ranked(history);
    int good = Math.min(settings.goodCount(history.size()), history.size());
    List<FinishedTrial> below = chronological(history, byLoss.subList(0, good));
    List<FinishedTrial> above = chronological(history, byLoss.subList(good, byLoss.size()));

    Map<String, String> chosen = new LinkedHashMap<>();
    if (settings.multivariate()) {
      List<Parameter> joint = space.parameters().stream().filter(p -> p.condition() == null).toList();
      if (!joint.isEmpty()) {
        chosen.putAll(sampleGroup(joint, below, above, random));
      }
    }
    for (Parameter parameter : space.parameters()) {
      if (!chosen.containsKey(parameter.name()) && SearchSpace.isActive(parameter, chosen)) {
        chosen.putAll(sampleGroup(List.of(parameter), below, above, random));
      }
    }
    Map<String, String> ordered = new LinkedHashMap<>();
    for (Parameter parameter : space.parameters()) {
      if (chosen.containsKey(parameter.name()) && SearchSpace.isActive(parameter, ordered)) {
        ordered.put(parameter.name(), chosen.get(parameter.name()));
      }
    }
    return new Trial(ordered);
  }

  /**
   * The positions of {@code history}'s trials, best first: by the successive-halving rung reached, highest first,
   * then by the value at that rung (what Optuna's {@code TPESampler} does with a pruner: complete trials first,
   * then pruned ones by their last reported step, descending, and value). A trial stopped at a low rung never
   * ranks above one that went further, because values at different budgets are not comparable (after 1 epoch
   * every trial is worse than after 9); and a promoted trial is judged by its value at the top of its climb, not
   * by its first-rung value. Without halving every trial is at rung 0 and this is the order of values. Ties keep
   * the history's order.
   */
  List<Integer> ranked(List<FinishedTrial> history) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < history.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.<Integer>comparingInt(i -> -history.get(i).rung())
        .thenComparingDouble(i -> direction.loss(history.get(i).value())));
    return order;
  }

  private Map<String, String> sampleGroup(List<Parameter> group, List<FinishedTrial> below,
      List<FinishedTrial> above, Random random) {
    ParzenEstimator good = estimator(group, below);
    ParzenEstimator bad = estimator(group, above);
    double[][] candidates = good.sample(random, settings.eiCandidates());
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < candidates.length; c++) {
      double score = good.logPdf(candidates[c]) - bad.logPdf(candidates[c]);
      if (score > bestScore || c == 0) {
        best = c;
        bestScore = score;
      }
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int d = 0; d < group.size(); d++) {
      values.put(group.get(d).name(), group.get(d).format(candidates[best][d]));
    }
    return values;
  }

  private ParzenEstimator estimator(List<Parameter> group, List<FinishedTrial> trials) {
    List<double[]> rows = new ArrayList<>();
    for (FinishedTrial trial : trials) {
      Map<String, String> values = trial.trial().values();
      if (group.stream().allMatch(p -> values.containsKey(p.name()))) {
        double[] row = new double[group.size()];
        for (int d = 0; d < row.length; d++) {
          row[d] = group.get(d).internal(values.get(group.get(d).name()));
        }
        rows.add(row);
      }
    }
    double[][] observations = rows.toArray(new double[0][]);
    return new ParzenEstimator(group, observations, TpeSettings.observationWeights(observations.length), settings);
  }

  private static List<FinishedTrial> chronological(List<FinishedTrial> history, List<Integer> indices) {
    return indices.stream().sorted().map(history::get).toList();
  }
}
