package dev.tessera.runners.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** What a Flink JobManager's REST API says about its jobs and task slots, read the way a user's tools would. */
final class FlinkRest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;

  /** The REST API at {@code master} ({@code host:port}, the value of {@code --flinkMaster}). */
  FlinkRest(String master) {
    this.base = "http://" + master;
  }

  /** The ids of every job the JobManager knows, running or ended. */
  Set<String> jobIds() {
    Set<String> ids = new TreeSet<>();
    get("/jobs").path("jobs").forEach(job -> ids.add(job.path("id").asText()));
    return ids;
  }

  /** The parallelism of each vertex of job {@code id}, in the order the REST API lists them. */
  List<Integer> vertexParallelisms(String id) {
    List<Integer> parallelisms = new ArrayList<>();
    get("/jobs/" + id).path("vertices").forEach(vertex -> parallelisms.add(vertex.path("parallelism").asInt()));
    return parallelisms;
  }

  /**
   * Waits until every task slot of the cluster is free again (the slots of a job that just finished go back to
   * the TaskManagers a moment after it ends); returns the number of slots.
   */
  int awaitAllSlotsFree(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode overview = get("/overview");
      int total = overview.path("slots-total").asInt();
      if (total > 0 && overview.path("slots-available").asInt() == total) {
        return total;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the task slots of the Flink cluster at " + base + " were not all free within "
            + timeout + ": " + overview);
      }
      try {
        Thread.sleep(200); // polling the cluster's state, not waiting for time to pass
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for free task slots", e);
      }
    }
  }

  private JsonNode get(String path) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
          .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new AssertionError("GET " + base + path + " answered " + response.statusCode() + ": "
            + response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("GET " + base + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted during GET " + base + path, e);
    }
  }
}
