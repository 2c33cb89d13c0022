package dev.tessera.pipelines.tracking.inputs;

import java.util.List;

/**
 * Logs dataset inputs to a run of a tracker, finished or not: {@link FileStoreInputs} in MLflow's file store
 * layout, {@link ServerInputs} through {@code runs/log-inputs}. Logging the same dataset with the same context to
 * the same run again changes nothing.
 */
public interface RunInputs {
  /** Records that run {@code runId} used these datasets. */
  void log(String runId, List<DatasetInput> inputs);
}
