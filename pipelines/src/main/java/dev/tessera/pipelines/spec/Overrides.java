package dev.tessera.pipelines.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Arrays;
import java.util.List;

/** Applies {@code --set} overrides to a spec record by rebuilding it, so its own validation runs again. */
public final class Overrides {
  private Overrides() {}

  /**
   * A copy of {@code spec} with each override's key replaced.
   *
   * @param spec the spec record to start from
   * @param overrides overrides whose {@link SpecOverride#key()} is a path inside this spec
   * @throws SpecException for a key the spec does not have, a value of the wrong type, or a value the spec's
   *     validation rejects
   */
  @SuppressWarnings("unchecked")
  public static <S> S apply(S spec, List<SpecOverride> overrides) {
    if (overrides.isEmpty()) {
      return spec;
    }
    ObjectNode tree = ((ObjectNode) Specs.toTree(spec)).deepCopy();
    for (SpecOverride override : overrides) {
      String[] parts = override.key().split("\\.");
      ObjectNode parent = tree;
      for (int i = 0; i < parts.length - 1; i++) {
        JsonNode next = parent.get(parts[i]);
        if (!(next instanceof ObjectNode object)) {
          throw unknown(override, spec);
        }
        parent = object;
      }
      String leaf = parts[parts.length - 1];
      if (!parent.has(leaf) || parent.get(leaf).isObject() && parent.get(leaf).size() > 0) {
        throw unknown(override, spec);
      }
      parent.set(leaf, coerce(parent.get(leaf), override.value()));
    }
    try {
      return (S) Specs.mapper().treeToValue(tree, spec.getClass());
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new SpecException("--set " + describe(overrides) + ": " + cause.getMessage(), cause);
    } catch (MismatchedInputException e) {
      String path = overrides.get(0).stage() + "." + pathOf(e);
      SpecOverride culprit = overrides.stream()
          .filter(o -> o.path().equals(path)).findFirst().orElse(overrides.get(0));
      throw new SpecException("--set " + culprit + ": " + culprit.path() + " expects " + expected(e.getTargetType())
          + ", but was '" + culprit.value() + "'.", e);
    } catch (JsonProcessingException e) {
      throw new SpecException("--set " + describe(overrides) + ": " + e.getOriginalMessage(), e);
    }
  }

  private static JsonNode coerce(JsonNode existing, String raw) {
    if (existing != null && existing.isTextual()) {
      return TextNode.valueOf(raw);
    }
    try {
      return Specs.mapper().readTree(raw);
    } catch (JsonProcessingException e) {
      return TextNode.valueOf(raw); // not JSON: let the record's type decide, and report a mismatch
    }
  }

  private static String pathOf(MismatchedInputException e) {
    StringBuilder path = new StringBuilder();
    for (var ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      }
    }
    return path.toString();
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "another type";
    }
    if (type.isEnum()) {
      return "one of " + Arrays.toString(type.getEnumConstants());
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "an integer";
    }
    if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type.isArray() || List.class.isAssignableFrom(type)) {
      return "a JSON array such as [0.5,0.5]";
    }
    return "a " + type.getSimpleName();
  }

  private static String describe(List<SpecOverride> overrides) {
    return String.join(" ", overrides.stream().map(SpecOverride::toString).toList());
  }

  private static SpecException unknown(SpecOverride override, Object spec) {
    return new SpecException("Unknown override path '" + override.path() + "'. Valid paths for stage '"
        + override.stage() + "': " + Specs.flatten(override.stage(), spec).keySet() + ".");
  }
}
