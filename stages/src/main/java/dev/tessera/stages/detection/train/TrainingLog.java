package dev.tessera.stages.detection.train;

/** Where the detector's training loop reports: metrics, progress and cancellation (a stage forwards them). */
public interface TrainingLog {
  /** A metric such as {@code loss} at optimizer step {@code step}. */
  void metric(String key, double value, long step);

  /** Progress after {@code done} of {@code total} steps. */
  void progress(long done, long total, String message);

  /** A line for the run's log, such as which checkpoint was resumed. */
  default void info(String message) {}

  /** Throws when the run was cancelled. */
  void checkCancelled() throws InterruptedException;

  /** A log that drops everything (tests). */
  static TrainingLog none() {
    return new TrainingLog() {
      @Override
      public void metric(String key, double value, long step) {}

      @Override
      public void progress(long done, long total, String message) {}

      @Override
      public void checkCancelled() {}
    };
  }
}
