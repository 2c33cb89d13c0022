package dev.tessera.pipelines.exec;

/** Observes a run as it happens (the CLI's live stage table). Called from stage threads: be quick, be safe. */
public interface RunListener {

  default void runStarted(RunRecord run) {}

  /** A stage changed status; {@code record} is a snapshot owned by the listener. */
  default void stageChanged(String stage, StageRecord record) {}

  default void progress(String stage, long done, long total, String message) {}

  default void log(String stage, String message) {}

  default void runFinished(RunRecord run) {}

  /** A listener that ignores everything. */
  static RunListener none() {
    return new RunListener() {};
  }
}
