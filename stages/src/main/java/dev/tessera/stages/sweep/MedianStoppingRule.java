package dev.tessera.stages.sweep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The median stopping rule (Golovin et al., 2017, Google Vizier): stop a trial at step s when its best value so far
 * is strictly worse than the median, over completed trials, of their running averages up to step s.
 *
 * <p>The rule stays quiet until {@code startupTrials} trials have completed and during the first
 * {@code warmupSteps} steps, and needs at least {@code minTrials} completed trials that reached step s.
 */
public record MedianStoppingRule(Direction direction, int startupTrials, int warmupSteps, int minTrials) {
  public MedianStoppingRule {
    if (direction == null) {
      throw new IllegalArgumentException("median.direction must be MINIMIZE or MAXIMIZE, but was null.");
    }
    if (startupTrials < 0 || warmupSteps < 0 || minTrials < 1) {
      throw new IllegalArgumentException("median.startupTrials and median.warmupSteps must be >= 0 and "
          + "median.minTrials >= 1, but were " + startupTrials + ", " + warmupSteps + ", " + minTrials + ".");
    }
  }

  /** Vizier's rule with Optuna's MedianPruner defaults: 5 startup trials, no warm-up, one trial to compare. */
  public static MedianStoppingRule of(Direction direction) {
    return new MedianStoppingRule(direction, 5, 0, 1);
  }

  /** Whether a trial whose values so far are {@code current} should stop, given the completed trials' curves. */
  public boolean shouldStop(double[] current, List<double[]> completed) {
    int step = current.length - 1;
    if (step < warmupSteps || completed.size() < startupTrials) {
      return false;
    }
    List<Double> averages = new ArrayList<>();
    for (double[] curve : completed) {
      if (curve.length > step) {
        double sum = 0;
        for (int s = 0; s <= step; s++) {
          sum += direction.loss(curve[s]);
        }
        averages.add(sum / (step + 1));
      }
    }
    if (averages.size() < minTrials) {
      return false;
    }
    double best = Double.POSITIVE_INFINITY;
    for (double value : current) {
      best = Math.min(best, direction.loss(value));
    }
    return best > median(averages);
  }

  /**
   * Replays trials one after another, each reporting its curve step by step and compared with the curves of the
   * trials completed before it; a stopped trial does not count as completed. Returns each trial's stop step
   * ({@code -1} for trials that ran to the end) and the steps used.
   */
  public StoppingReport replay(List<LearningCurve> trials) {
    Map<String, Integer> stoppedAt = new LinkedHashMap<>();
    List<double[]> completed = new ArrayList<>();
    int used = 0;
    int full = 0;
    for (LearningCurve trial : trials) {
      double[] values = trial.values();
      full += values.length;
      int stop = -1;
      for (int step = 0; step < values.length; step++) {
        used++;
        if (step < values.length - 1 && shouldStop(Arrays.copyOf(values, step + 1), completed)) {
          stop = step;
          break;
        }
      }
      stoppedAt.put(trial.trial(), stop);
      if (stop < 0) {
        completed.add(values);
      }
    }
    return new StoppingReport(stoppedAt, used, full);
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
  }
}
