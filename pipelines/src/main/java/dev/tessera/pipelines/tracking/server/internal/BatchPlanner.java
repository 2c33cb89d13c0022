package dev.tessera.pipelines.tracking.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Cuts a run of journal records into {@code runs/log-batch} requests within MLflow's limits: at most
 * {@value #MAX_METRICS} metrics, {@value #MAX_PARAMS} params, {@value #MAX_TAGS} tags, {@value #MAX_ENTITIES}
 * entities and {@value #MAX_BYTES} bytes of JSON per request (MLflow allows 1 MB; the margin covers the envelope).
 * A batch also ends before a param or tag key it already holds (MLflow refuses duplicate keys in one request, and
 * the later tag value must win), and before any record that is not a metric, param or tag.
 */
public final class BatchPlanner {
  public static final int MAX_METRICS = 1000;
  public static final int MAX_PARAMS = 100;
  public static final int MAX_TAGS = 100;
  public static final int MAX_ENTITIES = 1000;
  public static final int MAX_BYTES = 900_000;

  static final ObjectMapper JSON = new ObjectMapper();

  private BatchPlanner() {}

  /** A parsed journal record and the journal offset just past it. */
  public record Entry(JsonNode record, long end, int bytes) {
    public String type() {
      return record.path("t").asText();
    }

    public boolean batchable() {
      String t = type();
      return t.equals("m") || t.equals("p") || t.equals("g");
    }
  }

  /** One log-batch request: its records, the offset just past the last, and the request body for a run. */
  public record Batch(List<Entry> entries, long end) {
    /** Whether every record is a metric (such batches may be sent concurrently: metrics only append). */
    public boolean metricsOnly() {
      return entries.stream().allMatch(e -> e.type().equals("m"));
    }

    public String body(String runId) {
      ObjectNode body = JSON.createObjectNode();
      body.put("run_id", runId);
      ArrayNode metrics = body.putArray("metrics");
      ArrayNode params = body.putArray("params");
      ArrayNode tags = body.putArray("tags");
      for (Entry entry : entries) {
        JsonNode r = entry.record();
        switch (entry.type()) {
          case "m" -> {
            ObjectNode m = metrics.addObject();
            m.put("key", r.get("k").asText());
            m.set("value", r.get("v"));
            m.put("timestamp", r.get("ts").asLong());
            m.put("step", r.get("s").asLong());
          }
          case "p" -> params.addObject().put("key", r.get("k").asText()).put("value", r.get("v").asText());
          case "g" -> tags.addObject().put("key", r.get("k").asText()).put("value", r.get("v").asText());
          default -> throw new IllegalStateException("not a batch record: " + r);
        }
      }
      return body.toString();
    }
  }

  /**
   * The longest batch at the head of {@code entries}, which must start with a metric, param or tag.
   */
  public static Batch next(List<Entry> entries) {
    int metrics = 0;
    int params = 0;
    int tags = 0;
    long bytes = 0;
    Set<String> paramKeys = new HashSet<>();
    Set<String> tagKeys = new HashSet<>();
    List<Entry> taken = new ArrayList<>();
    for (Entry entry : entries) {
      if (!entry.batchable()) {
        break;
      }
      String key = entry.record().path("k").asText();
      int m = metrics;
      int p = params;
      int g = tags;
      switch (entry.type()) {
        case "m" -> m++;
        case "p" -> {
          if (paramKeys.contains(key)) {
            return done(taken);
          }
          p++;
        }
        default -> {
          if (tagKeys.contains(key)) {
            return done(taken);
          }
          g++;
        }
      }
      long b = bytes + entry.bytes() + 16;
      if (m > MAX_METRICS || p > MAX_PARAMS || g > MAX_TAGS || m + p + g > MAX_ENTITIES
          || (b > MAX_BYTES && !taken.isEmpty())) {
        break;
      }
      if (entry.type().equals("p")) {
        paramKeys.add(key);
      } else if (entry.type().equals("g")) {
        tagKeys.add(key);
      }
      metrics = m;
      params = p;
      tags = g;
      bytes = b;
      taken.add(entry);
    }
    return done(taken);
  }

  private static Batch done(List<Entry> taken) {
    if (taken.isEmpty()) {
      throw new IllegalArgumentException("no metric, param or tag at the head of the entries");
    }
    return new Batch(List.copyOf(taken), taken.get(taken.size() - 1).end());
  }
}
