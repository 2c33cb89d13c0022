package dev.tessera.pipelines.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The Arrow schema of a {@link dev.tessera.transforms.sample.Sample} shard, one row per sample
 * (docs/ARCHITECTURE.md, "Data").
 *
 * <pre>
 * id utf8, image binary, height int32, width int32, channels int32, dtype utf8 (uint8|float32),
 * layout utf8 (HWC|CHW), encoded binary?, label int32?,
 * boxes list&lt;struct&lt;x1 float32, y1 float32, x2 float32, y2 float32, class_id int32&gt;&gt;?, mask binary?,
 * source utf8, split utf8                                     (? = nullable)
 * </pre>
 *
 * Schema metadata: {@code tessera.dataset} (name), {@code tessera.classes} (JSON list of class names, index = id)
 * and {@code tessera.schema_version}.
 */
public final class SampleSchema {
  /** The version written into every shard; readers reject other versions. */
  public static final int VERSION = 1;
  public static final String META_DATASET = "tessera.dataset";
  public static final String META_CLASSES = "tessera.classes";
  public static final String META_SCHEMA_VERSION = "tessera.schema_version";

  public static final String ID = "id";
  public static final String IMAGE = "image";
  public static final String HEIGHT = "height";
  public static final String WIDTH = "width";
  public static final String CHANNELS = "channels";
  public static final String DTYPE = "dtype";
  public static final String LAYOUT = "layout";
  public static final String ENCODED = "encoded";
  public static final String LABEL = "label";
  public static final String BOXES = "boxes";
  public static final String MASK = "mask";
  public static final String SOURCE = "source";
  public static final String SPLIT = "split";
  /** The list element's field name; {@code item} is what pyarrow uses. */
  public static final String BOX_ITEM = "item";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ArrowType INT32 = new ArrowType.Int(32, true);
  private static final ArrowType FLOAT32 = new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
  private static final List<Field> FIELDS = List.of(
      required(ID, ArrowType.Utf8.INSTANCE),
      required(IMAGE, ArrowType.Binary.INSTANCE),
      required(HEIGHT, INT32),
      required(WIDTH, INT32),
      required(CHANNELS, INT32),
      required(DTYPE, ArrowType.Utf8.INSTANCE),
      required(LAYOUT, ArrowType.Utf8.INSTANCE),
      optional(ENCODED, ArrowType.Binary.INSTANCE),
      optional(LABEL, INT32),
      new Field(BOXES, FieldType.nullable(ArrowType.List.INSTANCE), List.of(
          new Field(BOX_ITEM, FieldType.notNullable(ArrowType.Struct.INSTANCE), List.of(
              required("x1", FLOAT32), required("y1", FLOAT32), required("x2", FLOAT32), required("y2", FLOAT32),
              required("class_id", INT32))))),
      optional(MASK, ArrowType.Binary.INSTANCE),
      required(SOURCE, ArrowType.Utf8.INSTANCE),
      required(SPLIT, ArrowType.Utf8.INSTANCE));

  private SampleSchema() {}

  /**
   * What a shard's schema metadata says about its dataset.
   *
   * @param dataset dataset name
   * @param classes class names, index = class id
   * @param version schema version
   */
  public record Info(String dataset, List<String> classes, int version) {
    public Info {
      Objects.requireNonNull(dataset, "dataset");
      classes = List.copyOf(classes);
    }
  }

  /** The fields, in column order. */
  public static List<Field> fields() {
    return FIELDS;
  }

  /** The schema for a dataset, with its metadata. */
  public static Schema create(String dataset, List<String> classes) {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(META_DATASET, dataset);
    try {
      metadata.put(META_CLASSES, JSON.writeValueAsString(classes));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write class names as JSON: " + classes, e);
    }
    metadata.put(META_SCHEMA_VERSION, Integer.toString(VERSION));
    return new Schema(FIELDS, metadata);
  }

  /**
   * Checks that a schema read from {@code where} is a Tessera sample schema of this version and returns its
   * metadata; the error names the file, the first field that differs and what was expected.
   */
  public static Info check(Schema schema, String where) {
    Map<String, String> metadata = schema.getCustomMetadata() == null ? Map.of() : schema.getCustomMetadata();
    String version = metadata.get(META_SCHEMA_VERSION);
    if (version == null) {
      throw new IllegalArgumentException(where + " is not a Tessera sample shard: its schema metadata has no '"
          + META_SCHEMA_VERSION + "' (keys: " + metadata.keySet() + ")");
    }
    if (!version.equals(Integer.toString(VERSION))) {
      throw new IllegalArgumentException(where + " has sample schema version " + version
          + ", but this Tessera reads version " + VERSION + "; re-create the shards with this version");
    }
    List<String> expected = FIELDS.stream().map(SampleSchema::describe).toList();
    List<String> actual = schema.getFields().stream().map(SampleSchema::describe).toList();
    if (!expected.equals(actual)) {
      String detail = "fields differ";
      for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
        String e = i < expected.size() ? expected.get(i) : "(nothing)";
        String a = i < actual.size() ? actual.get(i) : "(nothing)";
        if (!e.equals(a)) {
          detail = "column " + i + " is '" + a + "', expected '" + e + "'";
          break;
        }
      }
      throw new IllegalArgumentException(where + " does not have the Tessera sample schema v" + VERSION + ": "
          + detail + ". Expected columns: " + expected);
    }
    String dataset = metadata.getOrDefault(META_DATASET, "");
    List<String> classes;
    try {
      classes = JSON.readValue(metadata.getOrDefault(META_CLASSES, "[]"), new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(where + ": schema metadata '" + META_CLASSES
          + "' must be a JSON list of class names, but was " + metadata.get(META_CLASSES), e);
    }
    return new Info(dataset, classes, VERSION);
  }

  /** A field as {@code name: type}, recursively, ignoring nullability and the list element's name. */
  static String describe(Field field) {
    return field.getName() + ": " + describeType(field);
  }

  private static String describeType(Field field) {
    ArrowType type = field.getType();
    if (type instanceof ArrowType.List) {
      return "list<" + describeType(field.getChildren().get(0)) + ">";
    }
    if (type instanceof ArrowType.Struct) {
      return "struct<" + field.getChildren().stream().map(SampleSchema::describe).collect(Collectors.joining(", "))
          + ">";
    }
    return type.toString().toLowerCase(java.util.Locale.ROOT);
  }

  private static Field required(String name, ArrowType type) {
    return new Field(name, FieldType.notNullable(type), List.of());
  }

  private static Field optional(String name, ArrowType type) {
    return new Field(name, FieldType.nullable(type), List.of());
  }
}
