package dev.tessera.stages.sweep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the text form of a search space; errors quote the entry and say what was expected. */
final class SearchSpaceParser {
  private static final Pattern ENTRY =
      Pattern.compile("\\s*([^=\\s]+)\\s*=\\s*([A-Za-z]+)\\s*\\((.*?)\\)\\s*(?:if\\s+([^=\\s]+)\\s*=\\s*(\\S+))?\\s*");
  private static final String FORMS = "choice(a,b,...), int(lo,hi), logint(lo,hi), uniform(lo,hi), "
      + "loguniform(lo,hi), optionally followed by 'if parent=v1|v2'";

  private SearchSpaceParser() {}

  static SearchSpace parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("The search space text is null: give one parameter per line, " + FORMS);
    }
    List<Parameter> parameters = new ArrayList<>();
    for (String raw : text.split("[\\n;]")) {
      String entry = raw.strip();
      if (entry.isEmpty() || entry.startsWith("#")) {
        continue;
      }
      parameters.add(entry(entry));
    }
    if (parameters.isEmpty()) {
      throw new IllegalArgumentException("The search space text declares no parameter: give one per line, "
          + "e.g. train.learningRate=loguniform(1e-4,1e-1); forms: " + FORMS + ".");
    }
    return new SearchSpace(parameters);
  }

  private static Parameter entry(String entry) {
    Matcher m = ENTRY.matcher(entry);
    if (!m.matches()) {
      throw new IllegalArgumentException("Cannot read search-space entry '" + entry + "': expected path=form "
          + "with form one of " + FORMS + ".");
    }
    String name = m.group(1);
    String kind = m.group(2);
    List<String> args = m.group(3).isBlank() ? List.of()
        : Arrays.stream(m.group(3).split(",")).map(String::strip).toList();
    Parameter parameter = switch (kind) {
      case "choice" -> new Choice(name, args);
      case "int", "logint" -> new IntRange(name, integer(entry, name, args, 0), integer(entry, name, args, 1),
          kind.equals("logint"));
      case "uniform", "float", "loguniform" -> new FloatRange(name, real(entry, name, args, 0),
          real(entry, name, args, 1), kind.equals("loguniform"));
      default -> throw new IllegalArgumentException("Search-space entry '" + entry + "' uses '" + kind
          + "(...)', which is not a form; allowed: " + FORMS + ".");
    };
    if (m.group(4) != null) {
      parameter = parameter.when(m.group(4), m.group(5).split("\\|"));
    }
    return parameter;
  }

  private static long integer(String entry, String name, List<String> args, int index) {
    return (long) number(entry, name, args, index, true);
  }

  private static double real(String entry, String name, List<String> args, int index) {
    return number(entry, name, args, index, false);
  }

  private static double number(String entry, String name, List<String> args, int index, boolean integer) {
    String value = bound(entry, name, args, index);
    try {
      return integer ? Long.parseLong(value) : Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Search-space entry '" + entry + "': " + (index == 0 ? "low" : "high")
          + " of '" + name + "' must be " + (integer ? "an integer" : "a number such as 1e-4") + ", but was '"
          + value + "'.", e);
    }
  }

  private static String bound(String entry, String name, List<String> args, int index) {
    if (args.size() != 2) {
      throw new IllegalArgumentException("Search-space entry '" + entry + "': a range for '" + name
          + "' takes two bounds (low,high), but got " + args.size() + ": " + args + ".");
    }
    return args.get(index);
  }
}
