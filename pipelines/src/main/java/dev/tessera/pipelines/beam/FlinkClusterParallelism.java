package dev.tessera.pipelines.beam;

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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parallelism of a job for a remote Flink session cluster when the arguments set none: the cluster's free task
 * slots. Without it Beam's FlinkRunner leaves the job at Flink's {@code parallelism.default} (1), so a job on a
 * cluster of several TaskManagers runs in one slot of one of them. Asked once per job, not per run, so a job
 * started after a TaskManager was lost (or beside another job) asks only for the slots that are free then.
 */
final class FlinkClusterParallelism {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkClusterParallelism.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  /** The parallelism last logged per JobManager, so a run of many stages logs a choice once, not once per stage. */
  private static final Map<String, Integer> LOGGED = new ConcurrentHashMap<>();

  private FlinkClusterParallelism() {}

  /**
   * {@code args} with {@code --parallelism=<free slots>} added when they select the FlinkRunner on a JobManager's
   * {@code host:port} and set no {@code --parallelism}; otherwise {@code args} unchanged (the embedded
   * {@code [local]} and {@code [auto]} masters, other runners, and a parallelism the arguments set, which always
   * wins). When no slot is free, or the JobManager does not answer its REST API, nothing is added and Flink's
   * default applies (an unreachable JobManager then fails the job with Flink's own error; {@code tessera run}
   * checks the address before any stage).
   */
  static List<String> apply(List<String> args) {
    Optional<String> master = remoteMaster(args);
    if (master.isEmpty() || args.stream().anyMatch(a -> a.equals("--parallelism")
        || a.startsWith("--parallelism="))) {
      return args;
    }
    String rest = master.get().contains("://") ? master.get() : "http://" + master.get();
    Optional<Slots> slots = slots(rest);
    if (slots.isEmpty()) {
      return args;
    }
    int free = slots.get().available();
    if (free < 1) {
      log(master.get(), 0, "Flink job parallelism: no task slot of the JobManager at " + master.get()
          + " is free (" + slots.get().total() + " in all), so Flink's parallelism.default (1 unless configured) "
          + "applies; --flinkParallelism=N (tessera run) or a --parallelism=N pipeline argument chooses another");
      return args;
    }
    log(master.get(), free, "Flink job parallelism " + free + ": the free task slots of the JobManager at "
        + master.get() + " (of " + slots.get().total() + " in all); --flinkParallelism=N (tessera run) or a "
        + "--parallelism=N pipeline argument chooses another");
    List<String> with = new ArrayList<>(args);
    with.add("--parallelism=" + free);
    return List.copyOf(with);
  }

  /** The free and total task slots of a cluster, as its JobManager's {@code GET /overview} reports them. */
  record Slots(int available, int total) {
    static Slots parse(String overview) throws IOException {
      JsonNode json = new ObjectMapper().readTree(overview);
      JsonNode available = json.get("slots-available");
      JsonNode total = json.get("slots-total");
      if (available == null || !available.canConvertToInt() || total == null || !total.canConvertToInt()) {
        throw new IOException("no integer slots-available and slots-total in " + overview);
      }
      return new Slots(available.asInt(), total.asInt());
    }
  }

  /** The {@code host:port} of {@code --flinkMaster} with {@code --runner=FlinkRunner}; empty for embedded masters. */
  static Optional<String> remoteMaster(List<String> args) {
    // As Beam resolves --runner: the simple name without case, with or without "Runner", or the class name.
    boolean flink = args.stream().filter(a -> a.startsWith("--runner="))
        .map(a -> a.substring("--runner=".length()).strip().toLowerCase(Locale.ROOT))
        .anyMatch(r -> r.equals("flinkrunner") || r.equals("flink")
            || r.equals("org.apache.beam.runners.flink.flinkrunner"));
    String master = null;
    for (String arg : args) {
      if (arg.startsWith("--flinkMaster=")) {
        master = arg.substring("--flinkMaster=".length()).strip();
      }
    }
    return flink && master != null && !master.isEmpty() && !master.startsWith("[")
        ? Optional.of(master) : Optional.empty();
  }

  private static Optional<Slots> slots(String rest) {
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(rest + "/overview"))
          .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode() + ": " + response.body());
      }
      return Optional.of(Slots.parse(response.body()));
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("Could not read the free task slots from the Flink JobManager's REST API at {}/overview ({}); the "
          + "job gets Flink's parallelism.default (1 unless configured); --flinkParallelism=N (tessera run) or a "
          + "--parallelism=N pipeline argument chooses another", rest, e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static void log(String master, int parallelism, String line) {
    Integer previous = LOGGED.put(master, parallelism);
    if (previous == null || previous != parallelism) {
      LOG.info(line);
    }
  }
}
