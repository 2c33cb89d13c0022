package dev.tessera.pipelines.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code --set path=value} override, parsed once: {@code train.epochs=3} targets stage {@code train}, key
 * {@code epochs}; {@code seed=7} targets the experiment itself.
 *
 * @param path the full dotted path, such as {@code train.epochs}
 * @param value the raw text after '='
 */
public record SpecOverride(String path, String value) {

  public SpecOverride {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("an override needs a path before '=', as in train.epochs=3");
    }
  }

  /**
   * Parses {@code path=value}.
   *
   * @throws IllegalArgumentException naming the text and the expected form
   */
  public static SpecOverride parse(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException(
          "--set expects path=value (for example --set train.epochs=3), but was '" + text + "'");
    }
    return new SpecOverride(text.substring(0, eq).trim(), text.substring(eq + 1).trim());
  }

  /** Parses every {@code path=value}. */
  public static List<SpecOverride> parseAll(List<String> texts) {
    List<SpecOverride> out = new ArrayList<>();
    for (String text : texts) {
      out.add(parse(text));
    }
    return List.copyOf(out);
  }

  /** The stage name: the part before the first '.', or empty for an experiment-level path. */
  public String stage() {
    int dot = path.indexOf('.');
    return dot < 0 ? "" : path.substring(0, dot);
  }

  /** The path inside the stage's spec: the part after the first '.'. */
  public String key() {
    int dot = path.indexOf('.');
    return dot < 0 ? path : path.substring(dot + 1);
  }

  @Override
  public String toString() {
    return path + "=" + value;
  }
}
