package dev.tessera.stages.train;

import java.util.Arrays;
import java.util.List;

/**
 * How the learning rate moves over training: an optional linear warm-up, then one of the {@link LrSchedule}
 * shapes over the remaining steps. A pure function of the step ({@link #factor}), so a resumed run has the same
 * rate at every step as an uninterrupted one. Overrides address the fields:
 * {@code --set train.schedule.kind=multi_step --set train.schedule.milestones=[3,6]}.
 *
 * <pre>{@code
 * ScheduleSpec.cosine().withWarmupEpochs(1)        // 1 epoch of warm-up from 10%, then cosine down to 1%
 * }</pre>
 *
 * @param kind the shape after warm-up
 * @param warmupEpochs epochs of linear warm-up, >= 0 (fractions allowed; 0: none); must be shorter than the run
 * @param startFactor the fraction of the learning rate warm-up and one-cycle start from, in [0, 1]
 * @param stepEpochs for {@code STEP}: epochs between decays, >= 1
 * @param milestones for {@code MULTI_STEP}: ascending epoch counts; after each, a further {@code gamma} applies
 *     ({@code [3]} in a 5-epoch run: epochs 4 and 5 train at {@code gamma} times the rate, as PyTorch's MultiStepLR)
 * @param gamma the decay factor of {@code STEP} and {@code MULTI_STEP}, in (0, 1]
 * @param finalFactor the fraction of the learning rate {@code COSINE}, {@code ONE_CYCLE} and {@code POLYNOMIAL}
 *     end at, in [0, 1]
 * @param power the exponent of {@code POLYNOMIAL}, > 0
 * @param peakFraction for {@code ONE_CYCLE}: the fraction of the steps spent rising, in (0, 1)
 */
public record ScheduleSpec(
    LrSchedule kind,
    double warmupEpochs,
    double startFactor,
    int stepEpochs,
    List<Integer> milestones,
    double gamma,
    double finalFactor,
    double power,
    double peakFraction) {

  public ScheduleSpec {
    if (kind == null) {
      throw new IllegalArgumentException("train.schedule.kind must be one of " + Arrays.toString(LrSchedule.values())
          + " (case-insensitive), but was null");
    }
    if (!(warmupEpochs >= 0) || Double.isInfinite(warmupEpochs)) {
      throw new IllegalArgumentException("train.schedule.warmupEpochs must be >= 0 (0: no warm-up), but was "
          + warmupEpochs);
    }
    check("startFactor", startFactor, 0, 1);
    if (stepEpochs < 1) {
      throw new IllegalArgumentException("train.schedule.stepEpochs must be >= 1, but was " + stepEpochs);
    }
    milestones = milestones == null ? List.of() : List.copyOf(milestones);
    for (int i = 0; i < milestones.size(); i++) {
      if (milestones.get(i) < 1 || (i > 0 && milestones.get(i) <= milestones.get(i - 1))) {
        throw new IllegalArgumentException("train.schedule.milestones must be ascending epoch counts >= 1, but was "
            + milestones);
      }
    }
    if (!(gamma > 0 && gamma <= 1)) {
      throw new IllegalArgumentException("train.schedule.gamma must be in (0, 1], but was " + gamma);
    }
    check("finalFactor", finalFactor, 0, 1);
    if (!(power > 0) || Double.isInfinite(power)) {
      throw new IllegalArgumentException("train.schedule.power must be > 0, but was " + power);
    }
    if (!(peakFraction > 0 && peakFraction < 1)) {
      throw new IllegalArgumentException("train.schedule.peakFraction must be in (0, 1), but was " + peakFraction);
    }
  }

  private static void check(String name, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(
          "train.schedule." + name + " must be in [" + min + ", " + max + "], but was " + value);
    }
  }

  /** {@code kind} with the defaults: no warm-up, start 0.1, step every epoch, gamma 0.1, final 0.01, power 1. */
  public static ScheduleSpec of(LrSchedule kind) {
    return new ScheduleSpec(kind, 0, 0.1, 1, List.of(), 0.1, 0.01, 1, 0.3);
  }

  /** The learning rate throughout. */
  public static ScheduleSpec constant() {
    return of(LrSchedule.CONSTANT);
  }

  /** Cosine decay to 1% of the learning rate at the last step. */
  public static ScheduleSpec cosine() {
    return of(LrSchedule.COSINE);
  }

  /** Multiplied by {@code gamma} after each of the epoch counts {@code milestones}. */
  public static ScheduleSpec multiStep(double gamma, Integer... milestones) {
    return new ScheduleSpec(LrSchedule.MULTI_STEP, 0, 0.1, 1, List.of(milestones), gamma, 0.01, 1, 0.3);
  }

  /** A copy with {@code epochs} of linear warm-up from {@code startFactor} of the rate. */
  public ScheduleSpec withWarmupEpochs(double epochs) {
    return new ScheduleSpec(kind, epochs, startFactor, stepEpochs, milestones, gamma, finalFactor, power,
        peakFraction);
  }

  /** A copy ending at {@code finalFactor} of the rate (cosine, one-cycle, polynomial). */
  public ScheduleSpec withFinalFactor(double finalFactor) {
    return new ScheduleSpec(kind, warmupEpochs, startFactor, stepEpochs, milestones, gamma, finalFactor, power,
        peakFraction);
  }

  /**
   * Rejects settings that do not fit a run of {@code epochs} epochs, naming the setting, its value and what is
   * allowed.
   */
  void checkAgainst(int epochs) {
    if (warmupEpochs >= epochs) {
      throw new IllegalArgumentException("train.schedule.warmupEpochs must be shorter than the run (train.epochs = "
          + epochs + "), but was " + warmupEpochs + "; shorten the warm-up or train longer");
    }
    if (kind == LrSchedule.MULTI_STEP && milestones.isEmpty()) {
      throw new IllegalArgumentException("train.schedule.milestones must list at least one epoch for kind "
          + "MULTI_STEP, but was []; for example [" + Math.max(1, epochs / 2) + "]");
    }
    if (kind == LrSchedule.MULTI_STEP && milestones.get(milestones.size() - 1) >= epochs) {
      throw new IllegalArgumentException("train.schedule.milestones must be epoch counts in [1, " + (epochs - 1)
          + "] (below train.epochs = " + epochs + "), but was " + milestones);
    }
  }

  /**
   * The factor the learning rate is multiplied with at update {@code update} (1-based).
   *
   * @param stepsPerEpoch optimizer steps per epoch, >= 1
   * @param totalSteps the run's optimizer steps, >= 1
   */
  public double factor(long update, long stepsPerEpoch, long totalSteps) {
    long warmup = Math.round(warmupEpochs * stepsPerEpoch);
    if (update <= warmup) {
      return startFactor + (1 - startFactor) * update / warmup;
    }
    double progress = Math.min(1.0, (double) (update - warmup) / Math.max(1, totalSteps - warmup));
    long epoch = (update - 1) / stepsPerEpoch; // 0-based epoch of this update
    return switch (kind) {
      case CONSTANT -> 1.0;
      case STEP -> Math.pow(gamma, epoch / stepEpochs);
      case MULTI_STEP -> Math.pow(gamma, milestones.stream().filter(m -> epoch >= m).count());
      case COSINE -> finalFactor + (1 - finalFactor) * (1 + Math.cos(Math.PI * progress)) / 2;
      case POLYNOMIAL -> finalFactor + (1 - finalFactor) * Math.pow(1 - progress, power);
      case ONE_CYCLE -> progress <= peakFraction
          ? startFactor + (1 - startFactor) * (1 - Math.cos(Math.PI * progress / peakFraction)) / 2
          : finalFactor + (1 - finalFactor) * (1 + Math.cos(Math.PI * (progress - peakFraction)
              / (1 - peakFraction))) / 2;
    };
  }
}
