package dev.tessera.stages.train.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tessera.stages.train.ModelMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Reads and writes the non-DJL files of a model directory: {@code tessera-model.json} and MLflow's MLmodel. */
public final class ModelDirectory {
  private ModelDirectory() {}

  /** MLflow recognizes a directory holding this file as a model. */
  public static final String MLMODEL = "MLmodel";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final DateTimeFormatter MLFLOW_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

  public static void writeMetadata(Path dir, ModelMetadata metadata) throws IOException {
    JSON.writeValue(dir.resolve(ModelMetadata.FILE_NAME).toFile(), metadata);
  }

  public static ModelMetadata readMetadata(Path dir) throws IOException {
    Path file = dir.resolve(ModelMetadata.FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(
          file.toString(), null,
          "not a Tessera model directory: " + ModelMetadata.FILE_NAME + " is missing (train the model first)");
    }
    ModelMetadata metadata = JSON.readValue(file.toFile(), ModelMetadata.class);
    if (!ModelMetadata.FORMAT.equals(metadata.format())) {
      throw new IOException(
          file + ": format must be '" + ModelMetadata.FORMAT + "', but was '" + metadata.format() + "'");
    }
    return metadata;
  }

  /**
   * Writes MLflow's {@code MLmodel} YAML with a {@code djl} flavor for a classifier (or any model described by
   * {@link ModelMetadata}), loaded by {@code loaderClass}.
   */
  public static void writeMlmodel(Path dir, ModelMetadata metadata, String loaderClass) throws IOException {
    writeMlmodel(dir, new DjlFlavor(metadata.djlVersion(), metadata.engine(), metadata.engineVersion(),
        metadata.modelName(), metadata.paramsFile(), ModelMetadata.FILE_NAME, loaderClass), metadata.modelUuid(),
        Instant.parse(metadata.createdUtc()));
  }

  /**
   * Writes MLflow's {@code MLmodel} YAML with a {@code djl} flavor. MLflow has no DJL flavor of its own: the file
   * makes the UI show the directory as a model, lets a run's model be registered, and tells a reader which files to
   * load. Example, for a detector: {@code writeMlmodel(dir, DjlFlavor.of(engine, "detector",
   * "detector-0012.params", "detector.json", DetectorPredictor.class), uuid, Instant.now())}.
   *
   * @param modelUuid a unique id of this model (32 hex digits, as MLflow writes them)
   * @param created when the model was saved
   */
  public static void writeMlmodel(Path dir, DjlFlavor flavor, String modelUuid, Instant created) throws IOException {
    String yaml = "artifact_path: model\n"
        + "flavors:\n"
        + "  djl:\n"
        + "    djl_version: " + quote(flavor.djlVersion()) + "\n"
        + "    engine: " + quote(flavor.engine()) + "\n"
        + "    engine_version: " + quote(flavor.engineVersion()) + "\n"
        + "    model_name: " + quote(flavor.modelName()) + "\n"
        + "    model_file: " + quote(flavor.modelFile()) + "\n"
        + "    metadata_file: " + quote(flavor.metadataFile()) + "\n"
        + "    loader: " + quote(flavor.loader()) + "\n"
        + "model_uuid: " + quote(modelUuid) + "\n"
        + "utc_time_created: " + quote(MLFLOW_TIME.format(created)) + "\n";
    Files.writeString(dir.resolve(MLMODEL), yaml);
  }

  /** A YAML single-quoted scalar (a quote inside is doubled). */
  private static String quote(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
