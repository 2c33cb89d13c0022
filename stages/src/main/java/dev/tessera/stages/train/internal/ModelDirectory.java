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
   * Writes MLflow's {@code MLmodel} YAML with a {@code djl} flavor. MLflow has no DJL flavor of its own: the file
   * makes the UI show the directory as a model and tells a reader which files to load.
   */
  public static void writeMlmodel(Path dir, ModelMetadata metadata, String loaderClass) throws IOException {
    String yaml = "artifact_path: model\n"
        + "flavors:\n"
        + "  djl:\n"
        + "    djl_version: " + quote(metadata.djlVersion()) + "\n"
        + "    engine: " + quote(metadata.engine()) + "\n"
        + "    engine_version: " + quote(metadata.engineVersion()) + "\n"
        + "    model_name: " + quote(metadata.modelName()) + "\n"
        + "    model_file: " + quote(metadata.paramsFile()) + "\n"
        + "    metadata_file: " + quote(ModelMetadata.FILE_NAME) + "\n"
        + "    loader: " + quote(loaderClass) + "\n"
        + "model_uuid: " + quote(metadata.modelUuid()) + "\n"
        + "utc_time_created: " + quote(MLFLOW_TIME.format(Instant.parse(metadata.createdUtc()))) + "\n";
    Files.writeString(dir.resolve(MLMODEL), yaml);
  }

  /** A YAML single-quoted scalar (a quote inside is doubled). */
  private static String quote(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
