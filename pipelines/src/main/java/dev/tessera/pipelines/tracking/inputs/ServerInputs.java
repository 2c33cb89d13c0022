package dev.tessera.pipelines.tracking.inputs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.pipelines.tracking.server.EndedRunSpool;
import dev.tessera.pipelines.tracking.server.ServerTracker;
import java.util.List;

/**
 * Dataset inputs on an MLflow server: one {@code runs/log-inputs} request per call, sent through the run's spool
 * ({@link EndedRunSpool}), so a server that is away when the run's stages end does not lose them: they stay in the
 * spool, in order, until {@code tessera mlflow flush} (or the next call for that run) sends them.
 */
public final class ServerInputs implements RunInputs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ServerTracker tracker;

  private ServerInputs(ServerTracker tracker) {
    this.tracker = tracker;
  }

  /** The inputs of runs on the server {@code tracker} tracks to. */
  public static ServerInputs of(ServerTracker tracker) {
    return new ServerInputs(tracker);
  }

  @Override
  public void log(String runId, List<DatasetInput> inputs) {
    ObjectNode request = JSON.createObjectNode();
    ArrayNode datasets = request.putArray("datasets");
    for (DatasetInput input : inputs) {
      ObjectNode entry = datasets.addObject();
      ArrayNode tags = entry.putArray("tags");
      if (input.context() != null) {
        tags.addObject().put("key", DatasetInput.CONTEXT_TAG).put("value", input.context());
      }
      ObjectNode dataset = entry.putObject("dataset").put("name", input.name()).put("digest", input.digest())
          .put("source_type", input.sourceType()).put("source", input.source());
      if (input.schema() != null) {
        dataset.put("schema", input.schema());
      }
    }
    EndedRunSpool.send(tracker, runId, JSON.createObjectNode().put("t", "i").set("body", request));
  }
}
