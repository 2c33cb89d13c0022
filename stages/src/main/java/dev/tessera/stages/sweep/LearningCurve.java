package dev.tessera.stages.sweep;

/** The objective values a trial reported after each step (epoch), step 0 first. */
public record LearningCurve(String trial, double[] values) {
  public LearningCurve {
    if (trial == null || trial.isBlank()) {
      throw new IllegalArgumentException("A learning curve needs the trial's id, but was '" + trial + "'.");
    }
    if (values == null || values.length == 0) {
      throw new IllegalArgumentException("Trial '" + trial + "' has an empty learning curve: report at least one "
          + "step.");
    }
    values = values.clone();
  }
}
