package dev.tessera.pipelines.tracking.inputs;

import dev.tessera.pipelines.tracking.mlflow.FileStoreTracker;
import dev.tessera.pipelines.tracking.mlflow.internal.MetaYaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dataset inputs in MLflow's file store, as MLflow 3.x writes them: the dataset once per experiment in
 * {@code <experiment>/datasets/<md5(name, digest)>/meta.yaml}, and the run's use of it in
 * {@code <run>/inputs/<md5(dataset id, run id)>/meta.yaml} with its tags ({@code mlflow.data.context}).
 *
 * <p>As in MLflow, the input's id depends only on the dataset and the run: the same dataset used in two contexts by
 * one run keeps the first context, so give each split its own digest.
 */
public final class FileStoreInputs implements RunInputs {
  private final FileStoreTracker tracker;

  private FileStoreInputs(FileStoreTracker tracker) {
    this.tracker = tracker;
  }

  /** The inputs of runs in the file store at {@code root}. */
  public static FileStoreInputs at(Path root) {
    return new FileStoreInputs(FileStoreTracker.at(root));
  }

  @Override
  public void log(String runId, List<DatasetInput> inputs) {
    try {
      Path runDir = tracker.runDirectory(runId).orElseThrow(() -> new IllegalArgumentException("run " + runId
          + " is not in the MLflow file store " + tracker.root() + "; log inputs to a run of this store."));
      Path experimentDir = runDir.getParent();
      for (DatasetInput input : inputs) {
        String datasetId = md5(input.name(), input.digest());
        Path datasetDir = experimentDir.resolve("datasets").resolve(datasetId);
        if (create(datasetDir)) {
          Map<String, Object> dataset = new LinkedHashMap<>();
          dataset.put("digest", input.digest());
          dataset.put("name", input.name());
          dataset.put("profile", null);
          dataset.put("schema", input.schema());
          dataset.put("source", input.source());
          dataset.put("source_type", input.sourceType());
          MetaYaml.write(datasetDir.resolve("meta.yaml"), dataset);
        }
        Path inputDir = runDir.resolve("inputs").resolve(md5(datasetId, runId));
        if (create(inputDir)) {
          Map<String, Object> edge = new LinkedHashMap<>();
          // MLflow writes the dataset id as destination_id too; readers use source_id and the folder.
          edge.put("destination_id", datasetId);
          edge.put("destination_type", "RUN");
          edge.put("source_id", datasetId);
          edge.put("source_type", "DATASET");
          edge.put("tags", input.context() == null ? Map.of() : Map.of(DatasetInput.CONTEXT_TAG, input.context()));
          MetaYaml.write(inputDir.resolve("meta.yaml"), edge);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not log dataset inputs of run " + runId + " in " + tracker.root()
          + ": " + e.getMessage(), e);
    }
  }

  /** Creates the directory; false when it existed (what it holds was written by an earlier call). */
  private static boolean create(Path dir) throws IOException {
    Files.createDirectories(dir.getParent());
    try {
      Files.createDirectory(dir);
      return true;
    } catch (FileAlreadyExistsException e) {
      return !Files.isRegularFile(dir.resolve("meta.yaml")); // a writer that died before its meta.yaml
    }
  }

  private static String md5(String first, String second) {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      md5.update(first.getBytes(StandardCharsets.UTF_8));
      md5.update(second.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md5.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no MD5, which every Java platform must provide", e);
    }
  }
}
