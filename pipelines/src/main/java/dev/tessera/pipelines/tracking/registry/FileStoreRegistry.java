package dev.tessera.pipelines.tracking.registry;

import dev.tessera.pipelines.tracking.mlflow.FileStoreTracker;
import dev.tessera.pipelines.tracking.mlflow.internal.AtomicFiles;
import dev.tessera.pipelines.tracking.mlflow.internal.FileUris;
import dev.tessera.pipelines.tracking.mlflow.internal.MetaYaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The Model Registry of an MLflow file store, in the layout MLflow 3.x writes and reads:
 * {@code <root>/models/<name>/meta.yaml} (with an {@code aliases:} map), {@code aliases/<alias>} holding the version
 * number, {@code tags/<key>}, and {@code version-<n>/meta.yaml} with {@code version-<n>/tags/<key>}.
 *
 * <p>Version numbers are claimed atomically by creating {@code version-<n>}, so two processes registering at once
 * get different versions. Registering a run's model that is already a version (same run, same source) returns that
 * version instead of adding another, as {@link ServerRegistry} does, so completing a registration again is safe.
 * Aliases are single files replaced atomically. Read it with
 * {@code MLFLOW_ALLOW_FILE_STORE=true} and the store as tracking and registry URI.
 */
public final class FileStoreRegistry implements ModelRegistry {
  static final String MODELS = "models";
  private static final String META = "meta.yaml";
  private static final String ALIASES = "aliases";
  private static final String TAGS = "tags";
  private static final String VERSION_PREFIX = "version-";

  private final Path root;
  private final Clock clock;

  private FileStoreRegistry(Path root, Clock clock) {
    this.root = root.toAbsolutePath().normalize();
    this.clock = clock;
  }

  /** The registry of the file store at {@code root} (the {@code mlruns} folder). */
  public static FileStoreRegistry at(Path root) {
    return new FileStoreRegistry(root, Clock.systemUTC());
  }

  @Override
  public String location() {
    return root.resolve(MODELS).toString();
  }

  @Override
  public synchronized ModelVersion register(String name, String runId, String artifactPath,
      Map<String, String> tags) {
    ModelRegistry.checkModelName(name);
    ModelRegistry.checkTags("model version tag", tags);
    try {
      Path runDir = FileStoreTracker.at(root).runDirectory(runId).orElseThrow(() -> new IllegalArgumentException(
          "run " + runId + " is not in the MLflow file store " + root
              + "; register a run of this store (see 'tessera runs')."));
      Path modelDir = runDir.resolve("artifacts").resolve(artifactPath).normalize();
      if (!Files.isRegularFile(modelDir.resolve("MLmodel"))) {
        throw new IllegalArgumentException("run " + runId + " has no model at artifact path '" + artifactPath
            + "' (no MLmodel file in " + modelDir + "); pass the artifact path of the stage that trained it, "
            + "such as train/model.");
      }
      Path model = ensureModel(name);
      String source = FileUris.of(modelDir);
      Optional<ModelVersion> existing = registered(name, model, runId, source);
      if (existing.isPresent()) {
        return existing.get();
      }
      long now = clock.millis();
      while (true) {
        long version = highestVersion(model) + 1;
        Path versionDir = model.resolve(VERSION_PREFIX + version);
        try {
          Files.createDirectory(versionDir); // the atomic claim of the number
        } catch (FileAlreadyExistsException e) {
          continue; // another writer took it
        }
        writeMeta(versionDir, name, now, Map.of("current_stage", "None", "run_id", runId, "source", source,
            "status", "READY", "storage_location", source, "version", version),
            List.of("model_id", "run_link", "status_message", "user_id"));
        writeTags(versionDir, tags);
        touch(model, now);
        return version(name, version).orElseThrow();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not register run " + runId + " as a version of model '" + name
          + "' in " + location() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void setAlias(String name, String alias, long version) {
    ModelRegistry.checkAlias(alias);
    if (version(name, version).isEmpty()) {
      throw new IllegalArgumentException("model '" + name + "' has no version " + version + " in " + location()
          + "; register it first.");
    }
    Path model = modelDirectory(name);
    try {
      Files.createDirectories(model.resolve(ALIASES));
      AtomicFiles.writeString(model.resolve(ALIASES).resolve(alias), Long.toString(version));
      touch(model, clock.millis());
    } catch (IOException e) {
      throw new UncheckedIOException("could not set alias '" + alias + "' of model '" + name + "' in "
          + location() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<ModelVersion> byAlias(String name, String alias) {
    ModelRegistry.checkAlias(alias);
    Path file = modelDirectory(name).resolve(ALIASES).resolve(alias);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return version(name, Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).strip()));
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("alias file " + file + " does not hold a version number: " + e.getMessage()
          + "; set the alias again.", e);
    }
  }

  @Override
  public Optional<ModelVersion> version(String name, long version) {
    Path dir = modelDirectory(name).resolve(VERSION_PREFIX + version);
    if (!Files.isRegularFile(dir.resolve(META))) {
      return Optional.empty();
    }
    try {
      Map<String, Object> meta = MetaYaml.read(dir.resolve(META));
      Map<String, String> aliases = aliases(modelDirectory(name));
      List<String> mine = aliases.entrySet().stream()
          .filter(e -> e.getValue().equals(Long.toString(version))).map(Map.Entry::getKey).sorted().toList();
      return Optional.of(new ModelVersion(name, version, String.valueOf(meta.get("source")),
          (String) meta.get("run_id"), readTree(dir.resolve(TAGS)), mine));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read version " + version + " of model '" + name + "' in "
          + location() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void setVersionTags(String name, long version, Map<String, String> tags) {
    ModelRegistry.checkTags("model version tag", tags);
    Path dir = modelDirectory(name).resolve(VERSION_PREFIX + version);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("model '" + name + "' has no version " + version + " in " + location()
          + "; register it first.");
    }
    try {
      writeTags(dir, tags);
      touch(modelDirectory(name), clock.millis());
    } catch (IOException e) {
      throw new UncheckedIOException("could not tag version " + version + " of model '" + name + "': "
          + e.getMessage(), e);
    }
  }

  @Override
  public void setRunTags(String runId, Map<String, String> tags) {
    ModelRegistry.checkTags("tag", tags);
    try {
      Path runDir = FileStoreTracker.at(root).runDirectory(runId).orElseThrow(() -> new IllegalArgumentException(
          "run " + runId + " is not in the MLflow file store " + root + "; tag a run of this store."));
      writeTags(runDir, tags);
    } catch (IOException e) {
      throw new UncheckedIOException("could not tag run " + runId + " in " + root + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Path localFiles(ModelVersion version, Path target) {
    if (!version.source().startsWith("file:")) {
      throw new IllegalArgumentException("version " + version.version() + " of model '" + version.name()
          + "' has the source " + version.source() + ", which is not a local file; read it through the server "
          + "that registered it.");
    }
    return Path.of(java.net.URI.create(version.source()));
  }

  private Path modelDirectory(String name) {
    ModelRegistry.checkModelName(name);
    return root.resolve(MODELS).resolve(name);
  }

  private Path ensureModel(String name) throws IOException {
    Path model = modelDirectory(name);
    Files.createDirectories(model.getParent());
    try {
      Files.createDirectory(model);
    } catch (FileAlreadyExistsException e) {
      return model;
    }
    writeMeta(model, name, clock.millis(), Map.of("aliases", Map.of()), List.of("deployment_job_id"));
    return model;
  }

  /**
   * Writes a registered model's or a version's {@code meta.yaml} as MLflow's file store does: the fields both
   * have, the entity's own {@code fields}, and {@code nullFields} as nulls, in alphabetical order.
   */
  private static void writeMeta(Path dir, String name, long now, Map<String, ?> fields, List<String> nullFields)
      throws IOException {
    Map<String, Object> meta = new TreeMap<>(fields);
    meta.put("creation_timestamp", now);
    meta.put("deployment_job_state", null);
    meta.put("description", null);
    meta.put("last_updated_timestamp", now);
    meta.put("name", name);
    meta.put("workspace", "default");
    nullFields.forEach(field -> meta.put(field, null));
    MetaYaml.write(dir.resolve(META), meta);
  }

  /** Rewrites the model's meta.yaml with the time of this change and its aliases, as MLflow does on each change. */
  private void touch(Path model, long now) throws IOException {
    Map<String, Object> meta = new LinkedHashMap<>(MetaYaml.read(model.resolve(META)));
    meta.put("aliases", aliases(model));
    meta.put("last_updated_timestamp", now);
    MetaYaml.write(model.resolve(META), meta);
  }

  private static Map<String, String> aliases(Path model) throws IOException {
    return readTree(model.resolve(ALIASES));
  }

  /** The version of {@code name} already made from that run's model at {@code source}, if any. */
  private Optional<ModelVersion> registered(String name, Path model, String runId, String source)
      throws IOException {
    for (long v = 1; v <= highestVersion(model); v++) {
      Path meta = model.resolve(VERSION_PREFIX + v).resolve(META);
      if (Files.isRegularFile(meta)) {
        Map<String, Object> fields = MetaYaml.read(meta);
        if (runId.equals(fields.get("run_id")) && source.equals(String.valueOf(fields.get("source")))) {
          return version(name, v);
        }
      }
    }
    return Optional.empty();
  }

  private static long highestVersion(Path model) throws IOException {
    try (Stream<Path> list = Files.list(model)) {
      return list.map(p -> p.getFileName().toString()).filter(n -> n.matches(VERSION_PREFIX + "\\d+"))
          .mapToLong(n -> Long.parseLong(n.substring(VERSION_PREFIX.length()))).max().orElse(0);
    }
  }

  private static void writeTags(Path dir, Map<String, String> tags) throws IOException {
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      Path file = dir.resolve(TAGS).resolve(tag.getKey());
      Files.createDirectories(file.getParent());
      AtomicFiles.writeString(file, tag.getValue());
    }
  }

  /** Files under {@code dir} as key (relative path with '/') to content; empty when {@code dir} is missing. */
  private static Map<String, String> readTree(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).forEach(files::add);
    }
    for (Path file : files) {
      out.put(dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/"),
          Files.readString(file, StandardCharsets.UTF_8));
    }
    return out;
  }
}
