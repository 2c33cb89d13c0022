package dev.tessera.pipelines.tracking.inputs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.pipelines.tracking.server.ServerTracker;
import dev.tessera.pipelines.tracking.server.TrackingServerException;
import dev.tessera.pipelines.tracking.server.internal.Rest;
import java.io.IOException;
import java.util.List;

/** Dataset inputs on an MLflow server: one {@code runs/log-inputs} request per call, with the tracker's retries. */
public final class ServerInputs implements RunInputs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Rest rest;

  private ServerInputs(Rest rest) {
    this.rest = rest;
  }

  /** The inputs of runs on the server {@code tracker} tracks to. */
  public static ServerInputs of(ServerTracker tracker) {
    return new ServerInputs(tracker.rest());
  }

  @Override
  public void log(String runId, List<DatasetInput> inputs) {
    ObjectNode request = JSON.createObjectNode().put("run_id", runId);
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
    Rest.Response r;
    try {
      r = rest.withRetries(() -> rest.postJson("runs/log-inputs", request.toString()));
    } catch (IOException e) {
      throw new TrackingServerException("MLflow server " + rest.uri() + " did not answer runs/log-inputs for run "
          + runId + ": " + e + ". Check that the server runs, or retry later.", 0, e);
    }
    if (!r.ok()) {
      throw new TrackingServerException("MLflow server " + rest.uri() + " answered " + r.status()
          + " to runs/log-inputs for run " + runId + ": " + r.body(), r.status(), null);
    }
  }
}
