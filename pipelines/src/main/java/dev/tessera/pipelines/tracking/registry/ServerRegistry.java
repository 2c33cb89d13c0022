package dev.tessera.pipelines.tracking.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.pipelines.tracking.server.ServerTracker;
import dev.tessera.pipelines.tracking.server.TrackingServerException;
import dev.tessera.pipelines.tracking.server.internal.Rest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Model Registry of an MLflow server, through its REST API ({@code registered-models/create},
 * {@code model-versions/create}, {@code registered-models/alias}, ...) with the tracker's credentials, timeouts and
 * retries. A version's source is the run's artifact URI plus the artifact path, as MLflow's own clients resolve
 * {@code runs:/<run>/<path>}. Registering a run's model that is already a version of the model (same run, same
 * source) returns that version instead of adding another, so a registration retried after an outage is safe.
 */
public final class ServerRegistry implements ModelRegistry {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Rest rest;

  private ServerRegistry(Rest rest) {
    this.rest = rest;
  }

  /** The registry of the server {@code tracker} tracks to. */
  public static ServerRegistry of(ServerTracker tracker) {
    return new ServerRegistry(tracker.rest());
  }

  @Override
  public String location() {
    return rest.uri().toString();
  }

  @Override
  public ModelVersion register(String name, String runId, String artifactPath, Map<String, String> tags) {
    ModelRegistry.checkModelName(name);
    ModelRegistry.checkTags("model version tag", tags);
    Rest.Response created = post("registered-models/create", JSON.createObjectNode().put("name", name));
    if (!created.ok() && !created.body().contains("RESOURCE_ALREADY_EXISTS")) {
      throw failure("registered-models/create '" + name + "'", created);
    }
    Rest.Response run = get("runs/get?run_id=" + Rest.query(runId));
    if (!run.ok()) {
      throw failure("runs/get " + runId + " (the run to register)", run);
    }
    String artifactUri = parse(run.body()).at("/run/info/artifact_uri").asText();
    requireModelOnServer(runId, artifactPath);
    String source = artifactUri.replaceAll("/+$", "") + "/" + artifactPath.replaceAll("^/+", "");
    Optional<ModelVersion> existing = registered(name, runId, source);
    if (existing.isPresent()) {
      return existing.get();
    }
    ObjectNode request = JSON.createObjectNode().put("name", name).put("source", source).put("run_id", runId);
    ArrayNode tagList = request.putArray("tags");
    tags.forEach((k, v) -> tagList.addObject().put("key", k).put("value", v));
    Rest.Response version = post("model-versions/create", request);
    if (!version.ok()) {
      throw failure("model-versions/create of '" + name + "' from run " + runId, version);
    }
    return toVersion(parse(version.body()).get("model_version"));
  }

  /**
   * The version of {@code name} already made from that run's model, if any: a registration retried after an
   * outage (the server took the first request but its answer was lost), or completed again by a later
   * {@code tessera mlflow flush} or {@code resume}, must not add a second version of the same model.
   */
  private Optional<ModelVersion> registered(String name, String runId, String source) {
    String filter = "name='" + name.replace("'", "\\'") + "' and run_id='" + runId + "'";
    Rest.Response r = get("model-versions/search?filter=" + Rest.query(filter) + "&max_results=1000");
    if (!r.ok()) {
      throw failure("model-versions/search of '" + name + "' for run " + runId, r);
    }
    for (JsonNode v : parse(r.body()).path("model_versions")) {
      if (source.equals(v.path("source").asText())) {
        return Optional.of(toVersion(v));
      }
    }
    return Optional.empty();
  }

  @Override
  public void setAlias(String name, String alias, long version) {
    ModelRegistry.checkAlias(alias);
    Rest.Response r = post("registered-models/alias", JSON.createObjectNode().put("name", name)
        .put("alias", alias).put("version", Long.toString(version)));
    if (!r.ok()) {
      throw failure("registered-models/alias " + alias + " -> " + name + " version " + version, r);
    }
  }

  @Override
  public Optional<ModelVersion> byAlias(String name, String alias) {
    ModelRegistry.checkAlias(alias);
    return found("registered-models/alias '" + alias + "' of '" + name + "'",
        get("registered-models/alias?name=" + Rest.query(name) + "&alias=" + Rest.query(alias)));
  }

  @Override
  public Optional<ModelVersion> version(String name, long version) {
    return found("model-versions/get " + name + " version " + version,
        get("model-versions/get?name=" + Rest.query(name) + "&version=" + version));
  }

  @Override
  public void setVersionTags(String name, long version, Map<String, String> tags) {
    ModelRegistry.checkTags("model version tag", tags);
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      Rest.Response r = post("model-versions/set-tag", JSON.createObjectNode().put("name", name)
          .put("version", Long.toString(version)).put("key", tag.getKey()).put("value", tag.getValue()));
      if (!r.ok()) {
        throw failure("model-versions/set-tag " + tag.getKey() + " on " + name + " version " + version, r);
      }
    }
  }

  @Override
  public void setRunTags(String runId, Map<String, String> tags) {
    ModelRegistry.checkTags("tag", tags);
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      Rest.Response r = post("runs/set-tag", JSON.createObjectNode().put("run_id", runId)
          .put("key", tag.getKey()).put("value", tag.getValue()));
      if (!r.ok()) {
        throw failure("runs/set-tag " + tag.getKey() + " on run " + runId, r);
      }
    }
  }

  /**
   * Downloads the version's files (a {@code mlflow-artifacts:/} source of a server that serves artifacts) into
   * {@code target}, listing them with {@code artifacts/list}; a complete earlier download is reused.
   */
  @Override
  public Path localFiles(ModelVersion version, Path target) {
    if (Files.isRegularFile(target.resolve("MLmodel"))) {
      return target;
    }
    String source = version.source();
    String marker = "/" + version.runId() + "/artifacts/";
    int at = source.indexOf(marker);
    if (!source.startsWith("mlflow-artifacts:/") || at < 0) {
      throw new IllegalArgumentException("version " + version.version() + " of model '" + version.name()
          + "' has the source " + source + "; only mlflow-artifacts:/ sources of its run (a server started with "
          + "--serve-artifacts) can be downloaded. Fetch it with the MLflow client instead.");
    }
    String root = source.substring("mlflow-artifacts:/".length(), at + marker.length());
    String modelPath = source.substring(at + marker.length());
    try {
      Files.createDirectories(target.getParent());
      Path partial = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + "-");
      for (String file : listFiles(version.runId(), modelPath)) {
        Path local = partial.resolve(file.substring(modelPath.length() + 1));
        Files.createDirectories(local.getParent());
        StringBuilder url = new StringBuilder(Rest.ARTIFACTS_API);
        for (String segment : (root + file).split("/")) {
          url.append(java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8)
              .replace("+", "%20")).append('/');
        }
        url.setLength(url.length() - 1);
        Rest.Response r = rest.withRetries(() -> rest.download(url.toString(), local));
        if (!r.ok()) {
          throw failure("download of " + file + " (model '" + version.name() + "' version " + version.version()
              + ")", r);
        }
      }
      try {
        Files.move(partial, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
        // Another process downloaded it at the same time: keep theirs, drop ours.
        try (java.util.stream.Stream<Path> walk = Files.walk(partial)) {
          for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
      return target;
    } catch (IOException e) {
      throw new TrackingServerException("could not download model '" + version.name() + "' version "
          + version.version() + " from " + location() + " into " + target + ": " + e, 0, e);
    }
  }

  /**
   * Refuses to register a version whose files are not on the server, as the file store refuses a run without a
   * model: a run's artifacts reach the server through its spool, and one that ended during an outage (or whose
   * upload is still going on) has not sent them yet. A server that cannot list the run's artifacts (one that does
   * not serve them) is trusted as before.
   */
  private void requireModelOnServer(String runId, String artifactPath) {
    String path = artifactPath.replaceAll("^/+|/+$", "");
    Rest.Response r = get("artifacts/list?run_id=" + Rest.query(runId) + "&path=" + Rest.query(path));
    if (!r.ok()) {
      return;
    }
    for (JsonNode entry : parse(r.body()).path("files")) {
      if (entry.path("path").asText().equals(path + "/MLmodel")) {
        return;
      }
    }
    throw new IllegalArgumentException("run " + runId + " has no model at artifact path '" + artifactPath
        + "' on " + location() + " (no MLflow MLmodel file there yet). If the run ended while the server was away, "
        + "its spool still holds the model: send it with 'tessera mlflow flush', then register again; otherwise "
        + "pass the artifact path of the stage that trained it, such as train/model.");
  }

  /** Every file under {@code path} of the run's artifacts, as paths relative to the artifact root. */
  private List<String> listFiles(String runId, String path) {
    Rest.Response r = get("artifacts/list?run_id=" + Rest.query(runId) + "&path=" + Rest.query(path));
    if (!r.ok()) {
      throw failure("artifacts/list " + path + " of run " + runId, r);
    }
    List<String> files = new ArrayList<>();
    for (JsonNode entry : parse(r.body()).path("files")) {
      String child = entry.get("path").asText();
      if (entry.path("is_dir").asBoolean(false)) {
        files.addAll(listFiles(runId, child));
      } else {
        files.add(child);
      }
    }
    return files;
  }

  /** A version from an answer, empty when the server says the model, version or alias does not exist. */
  private Optional<ModelVersion> found(String what, Rest.Response r) {
    if (r.ok()) {
      return Optional.of(toVersion(parse(r.body()).get("model_version")));
    }
    // MLflow answers a missing model with RESOURCE_DOES_NOT_EXIST, a missing alias with INVALID_PARAMETER_VALUE.
    if (r.status() == 404 || (r.status() == 400 && r.body().contains("not found"))) {
      return Optional.empty();
    }
    throw failure(what, r);
  }

  private static ModelVersion toVersion(JsonNode v) {
    Map<String, String> tags = new TreeMap<>();
    v.path("tags").forEach(t -> tags.put(t.get("key").asText(), t.path("value").asText()));
    List<String> aliases = new ArrayList<>();
    v.path("aliases").forEach(a -> aliases.add(a.asText()));
    return new ModelVersion(v.get("name").asText(), Long.parseLong(v.get("version").asText()),
        v.path("source").asText(), v.path("run_id").asText(null), tags, aliases.stream().sorted().toList());
  }

  private Rest.Response post(String endpoint, ObjectNode body) {
    try {
      return rest.withRetries(() -> rest.postJson(endpoint, body.toString()));
    } catch (IOException e) {
      throw new TrackingServerException("MLflow server " + location() + " did not answer " + endpoint + ": " + e
          + ". Check that the server runs, or retry later.", 0, e);
    }
  }

  private Rest.Response get(String endpointAndQuery) {
    try {
      return rest.withRetries(() -> rest.get(Rest.API + endpointAndQuery));
    } catch (IOException e) {
      throw new TrackingServerException("MLflow server " + location() + " did not answer " + endpointAndQuery
          + ": " + e + ". Check that the server runs, or retry later.", 0, e);
    }
  }

  private TrackingServerException failure(String what, Rest.Response r) {
    String body = r.body().replaceAll("\\s+", " ").strip();
    return new TrackingServerException("MLflow server " + location() + " answered " + r.status() + " to " + what
        + ": " + (body.length() > 300 ? body.substring(0, 297) + "..." : body), r.status(), null);
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("the MLflow server's answer is not JSON: " + body, e);
    }
  }
}
