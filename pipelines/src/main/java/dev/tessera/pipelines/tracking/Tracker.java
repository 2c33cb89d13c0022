package dev.tessera.pipelines.tracking;

import java.util.Map;
import java.util.Optional;

/**
 * Where runs are recorded: MLflow's file store under {@code ./mlruns} by default, or an MLflow server.
 *
 * <p>One tracker experiment per Tessera experiment, one tracked run per Tessera run. Implementations are chosen
 * by installing a different Guice module in {@code runners}.
 */
public interface Tracker {

  /**
   * Starts a run in the experiment of that name (created if missing).
   *
   * @param experimentName the Tessera experiment name
   * @param runName the display name, normally the Tessera run id
   * @param tags tags to set at creation (system tags such as {@code mlflow.source.name} included)
   */
  TrackedRun startRun(String experimentName, String runName, Map<String, String> tags);

  /** Reopens a run started earlier (for {@code tessera resume}), if the tracker still has it. */
  Optional<TrackedRun> reopen(String experimentName, String trackedRunId);

  /** A human-readable location of the store, such as {@code /home/me/project/mlruns}. */
  String location();

  /** A tracker that records nothing, for tests and dry runs. */
  static Tracker none() {
    return NoTracker.INSTANCE;
  }
}
