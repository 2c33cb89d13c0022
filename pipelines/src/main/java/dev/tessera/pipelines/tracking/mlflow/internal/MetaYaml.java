package dev.tessera.pipelines.tracking.mlflow.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The {@code meta.yaml} files of MLflow's file store: one {@code key: value} per line, keys sorted, values
 * {@code null}, integers, strings, the empty list {@code []} or a map of strings (the aliases of a registered model,
 * the tags of a dataset input: {@code {}} when empty, else one indented {@code key: value} line per entry), as
 * PyYAML's {@code safe_dump} writes them.
 *
 * <p>Strings are written plain where PyYAML would read them back as the same string, otherwise single-quoted
 * (or double-quoted with escapes when they hold control characters). The reader accepts what PyYAML writes for
 * such maps, including long quoted strings folded onto indented continuation lines.
 */
public final class MetaYaml {
  /** The value of a key whose YAML value is the empty list {@code []}. */
  public static final List<Object> EMPTY_LIST = List.of();

  private static final Pattern PLAIN_SAFE = Pattern.compile(
      "[\\p{L}\\p{N}_/\\-][\\p{L}\\p{N}_./\\-: %@+,='#]*");
  private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]+");
  // PyYAML's implicit resolvers (YAML 1.1): a plain scalar matching one of these would not read back as a string.
  private static final Pattern YAML_BOOL = Pattern.compile(
      "yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF");
  private static final Pattern YAML_NULL = Pattern.compile("~|null|Null|NULL");
  private static final Pattern YAML_INT = Pattern.compile("[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)"
      + "|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+");
  private static final Pattern YAML_FLOAT = Pattern.compile("[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?"
      + "|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
      + "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)");
  private static final Pattern YAML_TIMESTAMP = Pattern.compile("[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
      + "(?:[Tt]|[ \\t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]*)?(?:[ \\t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?"
      + "|[0-9]{4}-[0-9]{2}-[0-9]{2}");

  private MetaYaml() {}

  /** The YAML text of a flat map, keys sorted as MLflow's {@code write_yaml(sort_keys=True)}. */
  public static String format(Map<String, ?> values) {
    StringBuilder out = new StringBuilder(512);
    for (Map.Entry<String, ?> e : new TreeMap<>(values).entrySet()) {
      if (e.getValue() instanceof Map<?, ?> map && !map.isEmpty()) {
        out.append(e.getKey()).append(":\n");
        for (Map.Entry<?, ?> entry : new TreeMap<>(map).entrySet()) {
          out.append("  ").append(scalar(String.valueOf(entry.getKey()))).append(": ")
              .append(scalar(entry.getValue())).append('\n');
        }
      } else {
        out.append(e.getKey()).append(": ").append(scalar(e.getValue())).append('\n');
      }
    }
    return out.toString();
  }

  /** Writes {@link #format} of {@code values} to {@code file} atomically. */
  public static void write(Path file, Map<String, ?> values) throws IOException {
    AtomicFiles.writeString(file, format(values));
  }

  /**
   * Reads a {@code meta.yaml}; values are {@code null}, {@link Long}, {@link String}, {@link #EMPTY_LIST} or a
   * {@code Map<String, Object>} of such scalars.
   */
  public static Map<String, Object> read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  static String scalar(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Long || value instanceof Integer) {
      return value.toString();
    }
    if (value instanceof Map<?, ?> map) {
      if (!map.isEmpty()) {
        throw new IllegalArgumentException("a non-empty map is written by format(), as a block, not as a scalar");
      }
      return "{}";
    }
    if (value instanceof List<?> list) {
      if (!list.isEmpty()) {
        throw new IllegalArgumentException("meta.yaml lists must be empty, but got " + list);
      }
      return "[]";
    }
    String s = value.toString();
    if (isPlainSafe(s)) {
      return s;
    }
    boolean printable = s.chars().allMatch(c -> c >= 0x20 && c != 0x7F);
    if (printable) {
      return "'" + s.replace("'", "''") + "'";
    }
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7F) {
            out.append(String.format(Locale.ROOT, "\\x%02X", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static boolean isPlainSafe(String s) {
    return !s.isEmpty()
        && PLAIN_SAFE.matcher(s).matches()
        && !s.endsWith(":")
        && !s.endsWith(" ")
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.equals("-")
        && !s.startsWith("- ")
        && !YAML_BOOL.matcher(s).matches()
        && !YAML_NULL.matcher(s).matches()
        && !YAML_INT.matcher(s).matches()
        && !YAML_FLOAT.matcher(s).matches()
        && !YAML_TIMESTAMP.matcher(s).matches();
  }

  static Map<String, Object> parse(String text, String source) {
    Map<String, Object> out = new LinkedHashMap<>();
    String[] lines = text.split("\n", -1);
    int i = 0;
    while (i < lines.length) {
      String line = stripCr(lines[i]);
      if (line.isBlank() || line.startsWith("#")) {
        i++;
        continue;
      }
      int colon = line.indexOf(": ");
      String key;
      StringBuilder raw = new StringBuilder();
      if (colon < 0 && line.endsWith(":")) {
        key = line.substring(0, line.length() - 1);
      } else if (colon < 0) {
        throw new IllegalArgumentException(source + ": expected 'key: value' but found '" + line + "'");
      } else {
        key = line.substring(0, colon);
        raw.append(line.substring(colon + 2));
      }
      i++;
      if (raw.length() == 0 && i < lines.length && lines[i].startsWith("  ") && lines[i].contains(": ")) {
        // A block map: indented "key: value" lines.
        Map<String, Object> map = new LinkedHashMap<>();
        while (i < lines.length && lines[i].startsWith("  ") && lines[i].contains(": ")) {
          String entry = stripCr(lines[i]).strip();
          int sep = entry.indexOf(": ");
          String entryKey = entry.substring(0, sep);
          Object parsedKey = value(entryKey, source, key);
          map.put(String.valueOf(parsedKey), value(entry.substring(sep + 2).strip(), source, key));
          i++;
        }
        out.put(key.strip(), map);
        continue;
      }
      // PyYAML folds long quoted strings onto indented continuation lines.
      while (i < lines.length && (lines[i].startsWith(" ") || lines[i].startsWith("\t"))) {
        String more = stripCr(lines[i]).strip();
        raw.append(more.isEmpty() ? "\n" : (raw.length() == 0 || raw.charAt(raw.length() - 1) == '\n' ? "" : " ")
            + more);
        i++;
      }
      out.put(key.strip(), value(raw.toString().strip(), source, key));
    }
    return out;
  }

  private static Object value(String raw, String source, String key) {
    if (raw.isEmpty() || raw.equals("null") || raw.equals("~") || raw.equals("Null") || raw.equals("NULL")) {
      return null;
    }
    if (raw.equals("[]")) {
      return EMPTY_LIST;
    }
    if (raw.equals("{}")) {
      return new LinkedHashMap<String, Object>();
    }
    if (raw.startsWith("'")) {
      if (!raw.endsWith("'") || raw.length() < 2) {
        throw new IllegalArgumentException(source + ": unterminated quoted value for '" + key + "'");
      }
      return raw.substring(1, raw.length() - 1).replace("''", "'");
    }
    if (raw.startsWith("\"")) {
      if (!raw.endsWith("\"") || raw.length() < 2) {
        throw new IllegalArgumentException(source + ": unterminated quoted value for '" + key + "'");
      }
      return unescapeDouble(raw.substring(1, raw.length() - 1));
    }
    if (INTEGER.matcher(raw).matches()) {
      return Long.parseLong(raw.startsWith("+") ? raw.substring(1) : raw);
    }
    return raw;
  }

  private static String unescapeDouble(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 >= s.length()) {
        out.append(c);
        continue;
      }
      char n = s.charAt(++i);
      switch (n) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case '0' -> out.append('\0');
        case '"' -> out.append('"');
        case '\\' -> out.append('\\');
        case '/' -> out.append('/');
        case ' ' -> out.append(' ');
        case 'x' -> {
          out.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
          i += 2;
        }
        case 'u' -> {
          out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
        }
        case 'U' -> {
          out.appendCodePoint(Integer.parseInt(s.substring(i + 1, i + 9), 16));
          i += 8;
        }
        default -> out.append('\\').append(n);
      }
    }
    return out.toString();
  }

  private static String stripCr(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }
}
