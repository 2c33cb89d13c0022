package dev.tessera.pipelines.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Canonical JSON and flat params for specs.
 *
 * <p>Canonical means: keys sorted alphabetically at every level, no insignificant whitespace, numbers as Jackson
 * writes them. Two equal specs always give byte-identical JSON, which is what cache keys hash.
 */
public final class Specs {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .build();

  private Specs() {}

  /** The mapper used for specs and Tessera's own JSON files (sorted keys). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** A spec (or any value) as a JSON tree with sorted keys. */
  public static JsonNode toTree(Object value) {
    return sortKeys(MAPPER.valueToTree(value));
  }

  /** Canonical, compact JSON of a value. */
  public static String canonicalJson(Object value) {
    try {
      return MAPPER.writeValueAsString(toTree(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + value.getClass().getName() + " to JSON", e);
    }
  }

  /** Indented JSON with sorted keys, for files people read ({@code spec.json}). */
  public static String prettyJson(Object value) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toTree(value)) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + value.getClass().getName() + " to JSON", e);
    }
  }

  /**
   * Flattens a spec into {@code prefix.key=value} pairs: nested objects join keys with '.', arrays and nulls are
   * written as JSON ({@code [0.5,0.5]}, {@code null}), strings as themselves.
   */
  public static Map<String, String> flatten(String prefix, Object spec) {
    Map<String, String> out = new LinkedHashMap<>();
    flatten(prefix, toTree(spec), out);
    return out;
  }

  private static void flatten(String path, JsonNode node, Map<String, String> out) {
    if (node.isObject() && node.size() > 0) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        flatten(path.isEmpty() ? field.getKey() : path + "." + field.getKey(), field.getValue(), out);
      }
    } else if (node.isTextual()) {
      out.put(path, node.textValue());
    } else {
      out.put(path, node.toString());
    }
  }

  private static JsonNode sortKeys(JsonNode node) {
    if (node.isObject()) {
      ObjectNode sorted = MAPPER.createObjectNode();
      java.util.List<String> names = new java.util.ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      java.util.Collections.sort(names);
      for (String name : names) {
        sorted.set(name, sortKeys(node.get(name)));
      }
      return sorted;
    }
    if (node.isArray()) {
      com.fasterxml.jackson.databind.node.ArrayNode array = MAPPER.createArrayNode();
      node.forEach(element -> array.add(sortKeys(element)));
      return array;
    }
    return node;
  }
}
