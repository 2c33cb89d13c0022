package dev.tessera.pipelines.tracking.inputs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.data.SampleSchema;
import dev.tessera.pipelines.tracking.mlflow.internal.FileUris;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The dataset inputs of an ingested dataset: one per split (context = the split's name, such as {@code train} or
 * {@code test}), each with the digest of that split's shards, the data's source and the shards' schema in MLflow's
 * column-spec JSON.
 *
 * <pre>{@code
 * List<DatasetInput> inputs = ShardDatasets.inputs(DatasetManifest.read(dir), "folder:/data/digits");
 * }</pre>
 */
public final class ShardDatasets {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Hex digits of a split digest kept (MLflow allows 36 characters; its own datasets use 8). */
  static final int DIGEST_LENGTH = 16;

  private ShardDatasets() {}

  /**
   * One input per split of {@code manifest}.
   *
   * @param externalData where the data was read from, as a stage declares it: {@code folder:<absolute path>}
   *     (source type {@code local}) or another identity such as {@code catalog:mnist} (source type
   *     {@code tessera_catalog})
   */
  public static List<DatasetInput> inputs(DatasetManifest manifest, String externalData) {
    String sourceType;
    ObjectNode source = JSON.createObjectNode();
    if (externalData.startsWith("folder:")) {
      sourceType = "local";
      source.put("uri", FileUris.of(Path.of(externalData.substring("folder:".length()))));
    } else {
      sourceType = "tessera_catalog";
      int colon = externalData.indexOf(':');
      source.put("dataset", colon < 0 ? externalData : externalData.substring(colon + 1));
    }
    String schema = schemaJson();
    List<DatasetInput> inputs = new ArrayList<>();
    for (Map.Entry<String, DatasetManifest.Split> split : manifest.splits().entrySet()) {
      String digest = DatasetManifest.digestOf(Map.of(split.getKey(), split.getValue()));
      inputs.add(new DatasetInput(manifest.dataset(), digest.substring("sha256:".length(),
          "sha256:".length() + DIGEST_LENGTH), sourceType, source.toString(), schema, split.getKey()));
    }
    return inputs;
  }

  /** The shards' columns as MLflow's schema JSON ({@code {"mlflow_colspec": [...]}}). */
  static String schemaJson() {
    ObjectNode schema = JSON.createObjectNode();
    ArrayNode columns = schema.putArray("mlflow_colspec");
    for (Field field : SampleSchema.fields()) {
      ObjectNode column = type(field);
      column.put("name", field.getName());
      column.put("required", !field.isNullable());
      columns.add(column);
    }
    return schema.toString();
  }

  private static ObjectNode type(Field field) {
    ObjectNode node = JSON.createObjectNode();
    ArrowType type = field.getType();
    if (type instanceof ArrowType.List) {
      node.put("type", "array");
      node.set("items", type(field.getChildren().get(0)));
    } else if (type instanceof ArrowType.Struct) {
      node.put("type", "object");
      ObjectNode properties = node.putObject("properties");
      for (Field child : field.getChildren()) {
        properties.set(child.getName(), type(child).put("required", !child.isNullable()));
      }
    } else {
      node.put("type", primitive(type, field));
    }
    return node;
  }

  private static String primitive(ArrowType type, Field field) {
    if (type instanceof ArrowType.Int i) {
      return i.getBitWidth() <= 32 ? "integer" : "long";
    }
    if (type instanceof ArrowType.FloatingPoint f) {
      return f.getPrecision() == FloatingPointPrecision.DOUBLE ? "double" : "float";
    }
    if (type instanceof ArrowType.Utf8) {
      return "string";
    }
    if (type instanceof ArrowType.Binary) {
      return "binary";
    }
    if (type instanceof ArrowType.Bool) {
      return "boolean";
    }
    throw new IllegalStateException("sample column '" + field.getName() + "' has Arrow type " + type
        + ", which has no MLflow schema type here; add its mapping to ShardDatasets");
  }
}
