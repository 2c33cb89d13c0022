package dev.tessera.pipelines.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.tracking.TrackedRun;
import dev.tessera.pipelines.tracking.Tracker;
import dev.tessera.pipelines.tracking.mlflow.FileStoreTracker;
import dev.tessera.pipelines.tracking.mlflow.SystemTags;
import dev.tessera.pipelines.tracking.mlflow.internal.MlflowKeys;
import dev.tessera.pipelines.tracking.server.internal.ClientCalls;
import dev.tessera.pipelines.tracking.server.internal.Journal;
import dev.tessera.pipelines.tracking.server.internal.Rest;
import dev.tessera.pipelines.tracking.server.internal.Sender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;

/**
 * Tracks runs on an MLflow server: experiments, runs and run status through the official Java client
 * ({@code org.mlflow:mlflow-client}); params, metrics and tags as {@code runs/log-batch} requests and artifacts as
 * {@code PUT /api/2.0/mlflow-artifacts/artifacts/...} from a durable spool (see {@link ServerRun}), because the
 * client's own artifact calls need Python.
 *
 * <p>Experiments are looked up by name over REST (the client would retry the normal 404 answer three times) and
 * created with the client.
 *
 * <p><b>Timeouts and retries.</b> Every REST call of Tessera's has the settings' connect and request timeouts; the
 * Java client has none of its own, so each client call gets a deadline of four request timeouts. The client
 * already retries each failed call up to three times (without delay), so client calls get no second retry layer;
 * batches and artifacts go through Tessera's REST calls, which back off exponentially on connection errors,
 * timeouts, 5xx and 429, and nothing else.
 *
 * <p><b>Fail fast.</b> {@link #connect} checks {@code GET /health} and an authenticated call before returning,
 * and throws a {@link TrackingServerException} naming the URI (never a secret) and what to do.
 *
 * <pre>{@code
 * ServerTracker tracker = ServerTracker.connect(ServerSettings.of(URI.create("http://127.0.0.1:5000"),
 *     Credentials.fromEnvironment(System.getenv()), home.resolve("spool")));
 * TrackedRun run = tracker.startRun("mnist-lenet", runId, SystemTags.forCurrentProcess(runId));
 * }</pre>
 */
public final class ServerTracker implements Tracker, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** What to do about refused credentials (the start-up check and any later call say it alike). */
  private static final String SET_CREDENTIALS = "Set MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and "
      + "MLFLOW_TRACKING_PASSWORD, to credentials this server accepts";

  private final ServerSettings settings;
  private final Rest rest;
  private final MlflowClient client;
  private final Map<String, String> experimentIds = new HashMap<>();

  private ServerTracker(ServerSettings settings) {
    this.settings = settings;
    this.rest = new Rest(settings);
    this.client = new MlflowClient(settings.credentials().forClient(settings.uri().toString()));
  }

  /**
   * A tracker for the server of {@code settings}, checked: the server answers {@code GET /health} and accepts the
   * credentials.
   *
   * @throws TrackingServerException if the server is unreachable, unhealthy, not MLflow, or refuses the
   *     credentials
   */
  public static ServerTracker connect(ServerSettings settings) {
    ServerTracker tracker = new ServerTracker(settings);
    tracker.check();
    return tracker;
  }

  /** A tracker without the start-up check (for flushing spools to a server that may still be away). */
  public static ServerTracker unchecked(ServerSettings settings) {
    return new ServerTracker(settings);
  }

  /** Checks the server: health first, then an authenticated call. See {@link #connect}. */
  public void check() {
    String uri = settings.uri().toString();
    String unset = " To track without a server, unset MLFLOW_TRACKING_URI (and drop --tracking-uri): runs then go "
        + "to ./mlruns, and 'tessera mlflow sync --from ./mlruns --to " + uri + "' copies them later.";
    Rest.Response health;
    try {
      health = rest.withRetries(() -> rest.get("/health"));
    } catch (IOException e) {
      throw new TrackingServerException("MLflow server " + uri + " is unreachable (GET /health: " + describe(e)
          + "). Start the server or fix MLFLOW_TRACKING_URI / --tracking-uri." + unset, 0, e);
    }
    if (health.status() != 200) {
      throw new TrackingServerException("MLflow server " + uri + " answered GET /health with " + health.status()
          + " instead of 200; check the server's log." + unset, health.status(), null);
    }
    Rest.Response auth;
    try {
      auth = rest.withRetries(() -> rest.get(Rest.API + "experiments/get-by-name?experiment_name="
          + Rest.query("Default")));
    } catch (IOException e) {
      throw new TrackingServerException("MLflow server " + uri + " answered /health but not the tracking API ("
          + describe(e) + ")." + unset, 0, e);
    }
    if (auth.authFailure()) {
      throw new TrackingServerException("MLflow server " + uri + " refused the credentials (" + auth.status()
          + (auth.status() == 401 ? " Unauthorized" : " Forbidden") + ", using "
          + settings.credentials().describe() + "). " + SET_CREDENTIALS
          + (auth.status() == 403 ? " with permission to read and create experiments" : "") + ".",
          auth.status(), null);
    }
    if (!auth.ok() && !(auth.status() == 404 && auth.body().contains("RESOURCE_DOES_NOT_EXIST"))) {
      throw new TrackingServerException("MLflow server " + uri + " answered " + auth.status()
          + " to experiments/get-by-name: " + abbreviate(auth.body()) + ". Is " + uri
          + " an MLflow tracking server (mlflow server)?", auth.status(), null);
    }
  }

  /** The settings this tracker uses. */
  public ServerSettings settings() {
    return settings;
  }

  /** The official Java client this tracker uses (no timeouts of its own: see the class comment). */
  public MlflowClient client() {
    return client;
  }

  /** Tessera's REST calls to this server (timeouts and retries as the settings say). */
  public Rest rest() {
    return rest;
  }

  @Override
  public String location() {
    return settings.uri().toString();
  }

  @Override
  public ServerRun startRun(String experimentName, String runName, Map<String, String> tags) {
    MlflowKeys.checkExperimentName(experimentName);
    return startRunIn(experimentId(experimentName), runName, tags);
  }

  /** Starts a run in the experiment with that id. */
  ServerRun startRunIn(String experimentId, String runName, Map<String, String> tags) {
    Map<String, String> allTags = new LinkedHashMap<>(tags == null ? Map.of() : tags);
    // With basic credentials the server knows the user by that name: the run is recorded under it, not under the
    // operating-system account that happens to run the process.
    settings.credentials().username().ifPresent(user -> allTags.put(SystemTags.USER, user));
    String name = runName != null && !runName.isBlank() ? runName : allTags.get(SystemTags.RUN_NAME);
    if (name != null) {
      allTags.put(SystemTags.RUN_NAME, name);
    }
    allTags.forEach((k, v) -> {
      MlflowKeys.checkKey("tag", k);
      MlflowKeys.checkTagValue(k, v);
    });
    Service.CreateRun.Builder request = Service.CreateRun.newBuilder()
        .setExperimentId(experimentId)
        .setStartTime(System.currentTimeMillis());
    String user = allTags.get(SystemTags.USER);
    if (user != null) {
      request.setUserId(user);
    }
    if (name != null) {
      request.setRunName(name);
    }
    allTags.forEach((k, v) -> request.addTags(Service.RunTag.newBuilder().setKey(k).setValue(v)));
    Service.RunInfo info = call("runs/create in experiment " + experimentId, () -> client.createRun(request.build()));
    return open(experimentId, info.getRunId(), Map.of());
  }

  @Override
  public Optional<TrackedRun> reopen(String experimentName, String trackedRunId) {
    return reopenRun(trackedRunId);
  }

  /** Reopens run {@code trackedRunId}, in whichever experiment it is, if the server has it and it is active. */
  Optional<TrackedRun> reopenRun(String trackedRunId) {
    Optional<JsonNode> found = getOrNotFound("runs/get", "runs/get?run_id=" + Rest.query(trackedRunId));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    JsonNode run = found.get().path("run");
    if (!"active".equals(run.at("/info/lifecycle_stage").asText())) {
      return Optional.empty();
    }
    call("runs/update " + trackedRunId, () -> client.sendPost("runs/update",
        JSON.createObjectNode().put("run_id", trackedRunId).put("status", "RUNNING").toString()));
    Map<String, String> params = new HashMap<>();
    run.at("/data/params").forEach(p -> params.put(p.path("key").asText(), p.path("value").asText()));
    return Optional.of(open(run.at("/info/experiment_id").asText(), trackedRunId, params));
  }

  /** The id of the experiment of that name, created if missing. */
  public synchronized String experimentId(String experimentName) {
    String cached = experimentIds.get(experimentName);
    if (cached != null) {
      return cached;
    }
    // Looked up over Tessera's REST call, not the client's: the client retries a 404 ("no such experiment", the
    // normal answer for a new experiment) three times and logs each as a rate-limit warning.
    String id = findExperiment(experimentName).orElse(null);
    if (id == null) {
      try {
        id = call("experiments/create", () -> client.createExperiment(experimentName));
        String created = id;
        // MLflow 3's UI then opens the experiment on its runs table, not on GenAI traces.
        call("experiments/set-experiment-tag", () -> {
          client.setExperimentTag(created, FileStoreTracker.EXPERIMENT_KIND_TAG, FileStoreTracker.EXPERIMENT_KIND);
          return created;
        });
      } catch (TrackingServerException e) {
        // Another process created it a moment ago.
        id = findExperiment(experimentName).orElseThrow(() -> e);
      }
    }
    experimentIds.put(experimentName, id);
    return id;
  }

  private Optional<String> findExperiment(String experimentName) {
    Optional<JsonNode> found = getOrNotFound("experiments/get-by-name",
        "experiments/get-by-name?experiment_name=" + Rest.query(experimentName));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    JsonNode experiment = found.get().get("experiment");
    if (!"active".equals(experiment.path("lifecycle_stage").asText())) {
      throw new TrackingServerException("experiment '" + experimentName + "' is deleted on MLflow server "
          + location() + "; restore it (mlflow experiments restore) or delete it for good to reuse the name.",
          400, null);
    }
    return Optional.of(experiment.get("experiment_id").asText());
  }

  /**
   * GETs {@code endpoint} (with its query) over Tessera's REST call, which, unlike the client's, takes a 404 as an
   * answer instead of retrying it; empty when the server has no such resource (404 RESOURCE_DOES_NOT_EXIST, or 400
   * for a malformed id).
   */
  private Optional<JsonNode> getOrNotFound(String what, String endpointAndQuery) {
    Rest.Response r;
    try {
      r = rest.withRetries(() -> rest.get(Rest.API + endpointAndQuery));
    } catch (IOException e) {
      throw new TrackingServerException("MLflow server " + location() + " did not answer " + what + ": "
          + describe(e), 0, e);
    }
    if ((r.status() == 404 && r.body().contains("RESOURCE_DOES_NOT_EXIST")) || r.status() == 400) {
      return Optional.empty();
    }
    if (!r.ok()) {
      throw new TrackingServerException("MLflow server " + location() + " answered " + r.status() + " to " + what
          + ": " + abbreviate(r.body()), r.status(), null);
    }
    return Optional.of(parse(r.body()));
  }

  /** Opens the spool of a run on this server and starts its sender. */
  ServerRun open(String experimentId, String runId, Map<String, String> knownParams) {
    try {
      Journal journal = Journal.open(settings.spoolDirectory(), runId).orElseThrow(() -> new IllegalStateException(
          "the spool of run " + runId + " in " + settings.spoolDirectory() + " is in use by another process; "
              + "stop it first."));
      if (journal.size() == 0) {
        journal.append(JSON.writeValueAsBytes(JSON.createObjectNode().put("t", "h").put("uri", location())
            .put("exp", experimentId).put("run", runId)));
      }
      Sender sender = sender(journal, experimentId, runId);
      sender.start();
      return new ServerRun(this, experimentId, runId, journal, sender, knownParams);
    } catch (IOException e) {
      throw new UncheckedIOException("could not open the spool of run " + runId + " in "
          + settings.spoolDirectory() + ": " + e.getMessage(), e);
    }
  }

  /** A sender of one run's journal to this server. */
  Sender sender(Journal journal, String experimentId, String runId) {
    Sender.Terminator terminator = (status, endTime) -> {
      try {
        call("runs/update " + runId, () -> {
          client.setTerminated(runId, Service.RunStatus.valueOf(status), endTime);
          return null;
        });
      } catch (TrackingServerException e) {
        if (e.status() == 0 || e.status() >= 500 || e.status() == 429 || e.status() == 401
            || e.status() == 403) {
          throw new Sender.Retry(e.getMessage(), e);
        }
        throw e;
      }
    };
    return new Sender(journal, rest, experimentId, runId, terminator, settings.fsyncInterval(),
        settings.initialBackoff(), settings.maxBackoff(), settings.requestTimeout(), settings.sendWindow());
  }

  /**
   * A Java client call with a deadline, its failures as {@link TrackingServerException}s with the HTTP status
   * (0 when the server could not be reached or did not answer in time).
   */
  <T> T call(String what, Callable<T> call) {
    Duration deadline = settings.requestTimeout().multipliedBy(4);
    try {
      return ClientCalls.call(what, deadline, call);
    } catch (MlflowHttpException e) {
      throw new TrackingServerException("MLflow server " + location() + " answered " + e.getStatusCode()
          + " to " + what + ": " + abbreviate(e.getBodyMessage()) + refusalAdvice(e.getStatusCode()),
          e.getStatusCode(), e);
    } catch (MlflowClientException | ClientCalls.DeadlineException e) {
      throw new TrackingServerException("MLflow server " + location() + " did not answer " + what + ": "
          + abbreviate(String.valueOf(e.getMessage())), 0, e);
    }
  }

  @Override
  public void close() {
    client.close();
  }

  /** For 401 and 403: whose credentials were refused and what to do; empty otherwise. */
  private String refusalAdvice(int status) {
    if (status == 401) {
      return " (using " + settings.credentials().describe() + "). " + SET_CREDENTIALS + ".";
    }
    if (status == 403) {
      return " (using " + settings.credentials().describe() + "). That user lacks permission for this call: ask "
          + "the experiment's owner or a server admin to grant EDIT on the experiment, or use credentials that "
          + "have it.";
    }
    return "";
  }

  static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    String oneLine = s.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 297) + "...";
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
  }

  static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("the server's answer is not JSON: " + abbreviate(body), e);
    }
  }
}
