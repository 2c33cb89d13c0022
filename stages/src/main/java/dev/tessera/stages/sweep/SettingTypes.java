package dev.tessera.stages.sweep;

import java.util.regex.Pattern;

/** Whether a parameter's values fit a spec setting, judged from the setting's current flattened value. */
final class SettingTypes {
  private static final Pattern INTEGER = Pattern.compile("-?\\d+");
  private static final Pattern NUMBER = Pattern.compile("-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?|NaN|-?Infinity");

  private SettingTypes() {}

  /** A message naming the mismatch, or {@code null} when the parameter fits a setting whose value is current. */
  static String mismatch(Parameter parameter, String current) {
    if (current == null || current.equals("null")) {
      return null; // An unset optional setting: its type is unknown here, Jackson checks each value later.
    }
    String type = typeOf(current);
    String name = parameter.name();
    if (parameter instanceof IntRange range) {
      return type.equals("integer") || type.equals("number") ? null : wrong(name, range.describe(), type, current);
    }
    if (parameter instanceof FloatRange range) {
      if (type.equals("number")) {
        return null;
      }
      return type.equals("integer")
          ? "'" + name + "' is an integer setting (now " + current + "), but " + range.describe()
              + " draws fractions: use int(...) or logint(...)"
          : wrong(name, range.describe(), type, current);
    }
    return choiceMismatch((Choice) parameter, type, current);
  }

  private static String choiceMismatch(Choice choice, String type, String current) {
    for (String value : choice.choices()) {
      boolean fits = switch (type) {
        case "integer" -> INTEGER.matcher(value).matches();
        case "number" -> NUMBER.matcher(value).matches();
        case "boolean" -> value.equals("true") || value.equals("false");
        case "list" -> value.startsWith("[");
        default -> true;
      };
      if (!fits) {
        return "'" + choice.name() + "' is " + article(type) + " setting (now " + current + "), but the choice '"
            + value + "' is not " + article(type) + (type.equals("list") ? " (write lists as JSON, [1,2])" : "");
      }
    }
    return null;
  }

  private static String wrong(String name, String describe, String type, String current) {
    return "'" + name + "' is " + article(type) + " setting (now " + current + "), but " + describe
        + " draws numbers: use choice(...) with values of that type";
  }

  private static String article(String type) {
    return type.equals("integer") ? "an integer" : "a " + type;
  }

  private static String typeOf(String current) {
    if (INTEGER.matcher(current).matches()) {
      return "integer";
    }
    if (NUMBER.matcher(current).matches()) {
      return "number";
    }
    if (current.equals("true") || current.equals("false")) {
      return "boolean";
    }
    if (current.startsWith("[") || current.startsWith("{")) {
      return "list";
    }
    return "text";
  }
}
