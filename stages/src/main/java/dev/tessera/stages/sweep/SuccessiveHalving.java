package dev.tessera.stages.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Early stopping by successive halving (Li et al., 2018), as pure decisions over the results reported so far.
 *
 * <p>{@link #asynchronous} is ASHA: whenever a worker is free, promote a trial that is among the best
 * {@code floor(n_k / eta)} of the {@code n_k} results at some rung k and has not gone on yet, looking at the highest
 * rung first; when none can go on, start a new trial at rung 0. A trial that is not promoted now may be later, as
 * its rung fills. {@link #synchronous} waits until a rung holds all its trials, then promotes its best
 * {@code floor(n_k / eta)} at once.
 *
 * <p>Ties keep the order of the results list. A trial counts as promoted from rung k once it has a result above k
 * or is listed in {@code running} with a higher rung.
 */
public final class SuccessiveHalving {
  private final HalvingSettings settings;
  private final int bracketTrials;

  private SuccessiveHalving(HalvingSettings settings, int bracketTrials) {
    this.settings = settings;
    this.bracketTrials = bracketTrials;
  }

  /** ASHA: promotions as soon as a trial ranks in the top {@code 1/eta} of its rung so far. */
  public static SuccessiveHalving asynchronous(HalvingSettings settings) {
    return new SuccessiveHalving(settings, 0);
  }

  /** Synchronous successive halving of a bracket of {@code trials} trials started together at rung 0. */
  public static SuccessiveHalving synchronous(HalvingSettings settings, int trials) {
    if (trials < settings.eta()) {
      throw new IllegalArgumentException("A synchronous bracket needs at least eta=" + settings.eta()
          + " trials for anyone to be promoted, but was " + trials + ".");
    }
    return new SuccessiveHalving(settings, trials);
  }

  /** The settings, with the rung budgets. */
  public HalvingSettings settings() {
    return settings;
  }

  /**
   * Every promotion allowed now, highest rung first and best first within a rung. {@code running} maps trials in
   * progress to the rung they are training towards.
   */
  public List<Promotion> promotable(List<RungResult> results, Map<String, Integer> running) {
    List<Double> budgets = settings.rungBudgets();
    Map<String, Integer> reached = reached(results, running);
    List<Promotion> out = new ArrayList<>();
    for (int rung = budgets.size() - 2; rung >= 0; rung--) {
      List<RungResult> ranked = ranked(results, rung);
      if (bracketTrials > 0 && ranked.size() < expected(rung)) {
        continue; // Synchronous: the rung is not complete yet.
      }
      int keep = ranked.size() / settings.eta();
      for (RungResult result : ranked.subList(0, keep)) {
        if (reached.get(result.trial()) == rung) {
          out.add(new Promotion(result.trial(), rung, rung + 1, budgets.get(rung + 1)));
        }
      }
    }
    return out;
  }

  /** ASHA's next job: the first promotion allowed now, or empty to start a new trial at rung 0. */
  public Optional<Promotion> next(List<RungResult> results, Map<String, Integer> running) {
    return promotable(results, running).stream().findFirst();
  }

  /** What each rung saw, promoted and stopped, with the budget used; trials in {@code running} are not stopped. */
  public HalvingReport report(List<RungResult> results, Map<String, Integer> running) {
    List<Double> budgets = settings.rungBudgets();
    Map<String, Integer> reached = reached(results, running);
    List<RungSummary> rungs = new ArrayList<>();
    double used = 0;
    Set<String> trials = new LinkedHashSet<>();
    for (int rung = 0; rung < budgets.size(); rung++) {
      List<String> promoted = new ArrayList<>();
      List<String> stopped = new ArrayList<>();
      int reported = 0;
      for (RungResult result : results) {
        if (result.rung() != rung) {
          continue;
        }
        reported++;
        trials.add(result.trial());
        if (reached.get(result.trial()) > rung) {
          promoted.add(result.trial());
        } else if (rung < budgets.size() - 1 && !running.containsKey(result.trial())) {
          stopped.add(result.trial());
        }
      }
      double step = budgets.get(rung) - (rung == 0 ? 0 : budgets.get(rung - 1));
      double rungUsed = reported * step;
      used += rungUsed;
      rungs.add(new RungSummary(rung, budgets.get(rung), reported, promoted, stopped, rungUsed));
    }
    return new HalvingReport(rungs, used, trials.size() * budgets.get(budgets.size() - 1));
  }

  private int expected(int rung) {
    int count = bracketTrials;
    for (int k = 0; k < rung; k++) {
      count /= settings.eta();
    }
    return count;
  }

  private List<RungResult> ranked(List<RungResult> results, int rung) {
    List<RungResult> atRung = new ArrayList<>();
    for (RungResult result : results) {
      if (result.rung() == rung) {
        atRung.add(result);
      }
    }
    atRung.sort(Comparator.comparingDouble(r -> settings.direction().loss(r.value())));
    return atRung;
  }

  private Map<String, Integer> reached(List<RungResult> results, Map<String, Integer> running) {
    int top = settings.rungBudgets().size() - 1;
    Map<String, Integer> reached = new HashMap<>();
    for (RungResult result : results) {
      if (result.rung() > top) {
        throw new IllegalArgumentException("Trial '" + result.trial() + "' reported rung " + result.rung()
            + ", but the rungs are 0.." + top + " (budgets " + settings.rungBudgets() + ").");
      }
      reached.merge(result.trial(), result.rung(), Math::max);
    }
    running.forEach((trial, rung) -> reached.merge(trial, rung, Math::max));
    return reached;
  }
}
