package dev.tessera.pipelines.tracking.mlflow.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MLflow's rules for param, metric and tag keys and for value lengths, checked before anything is written.
 *
 * <p>Keys are at most 250 characters from {@code [/\w.\- ]} (letters and digits in any script, '_', '-', '.', ' ',
 * '/'; colons are refused although MLflow on Linux accepts them, because MLflow on Windows does not, and a run must
 * sync to any server), and must be a normalized relative path: keys become file paths in the store, so
 * {@code a//b}, {@code ./a}, {@code a/..} or {@code /a} could name another key's file.
 */
public final class MlflowKeys {
  /** MLflow's {@code MAX_ENTITY_KEY_LENGTH}. */
  public static final int MAX_KEY_LENGTH = 250;
  /** MLflow's {@code MAX_PARAM_VAL_LENGTH}. */
  public static final int MAX_PARAM_VALUE_LENGTH = 6000;
  /** MLflow's {@code MAX_TAG_VAL_LENGTH} (3.x servers). */
  public static final int MAX_TAG_VALUE_LENGTH = 8000;
  /** MLflow's {@code MAX_EXPERIMENT_NAME_LENGTH}. */
  public static final int MAX_EXPERIMENT_NAME_LENGTH = 500;

  private static final Pattern ALLOWED = Pattern.compile("[/\\w.\\- ]*", Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern DISALLOWED_CHAR =
      Pattern.compile("[^/\\w.\\- ]", Pattern.UNICODE_CHARACTER_CLASS);

  private MlflowKeys() {}

  /**
   * Checks a key; {@code kind} ({@code "param"}, {@code "metric"}, {@code "tag"}) names it in the error.
   *
   * @throws IllegalArgumentException naming the key and the rule it breaks
   */
  public static void checkKey(String kind, String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException(kind + " key must be a non-empty string, but was "
          + (key == null ? "null" : "''") + ".");
    }
    if (key.length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException(kind + " key '" + abbreviate(key) + "' is " + key.length()
          + " characters long; MLflow allows at most " + MAX_KEY_LENGTH + ".");
    }
    if (!ALLOWED.matcher(key).matches()) {
      Matcher bad = DISALLOWED_CHAR.matcher(key);
      String found = bad.find() ? bad.group() : "?";
      throw new IllegalArgumentException(kind + " key '" + key + "' contains '" + found
          + "'; MLflow keys may only contain letters, digits, '_', '-', '.', ' ' and '/'.");
    }
    if (key.startsWith("/")) {
      throw new IllegalArgumentException(kind + " key '" + key
          + "' starts with '/'; MLflow keys are relative paths (drop the leading '/').");
    }
    for (String segment : key.split("/", -1)) {
      if (segment.equals("..")) {
        throw new IllegalArgumentException(kind + " key '" + key
            + "' contains a '..' segment; MLflow stores keys as file paths, so it would name another key.");
      }
      if (segment.isEmpty() || segment.equals(".")) {
        throw new IllegalArgumentException(kind + " key '" + key
            + "' has an empty or '.' path segment (from '//', a trailing '/' or '/./'); MLflow stores keys "
            + "as file paths, so it would name another key.");
      }
    }
  }

  /** Checks a param value: not null, at most {@value #MAX_PARAM_VALUE_LENGTH} characters. */
  public static void checkParamValue(String key, String value) {
    checkValue("param", key, value, MAX_PARAM_VALUE_LENGTH);
  }

  /** Checks a tag value: not null, at most {@value #MAX_TAG_VALUE_LENGTH} characters. */
  public static void checkTagValue(String key, String value) {
    checkValue("tag", key, value, MAX_TAG_VALUE_LENGTH);
  }

  /** Checks an experiment name: not blank, at most {@value #MAX_EXPERIMENT_NAME_LENGTH} characters. */
  public static void checkExperimentName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("experiment name must be a non-blank string, but was "
          + (name == null ? "null" : "'" + name + "'") + ".");
    }
    if (name.length() > MAX_EXPERIMENT_NAME_LENGTH) {
      throw new IllegalArgumentException("experiment name '" + abbreviate(name) + "' is " + name.length()
          + " characters long; MLflow allows at most " + MAX_EXPERIMENT_NAME_LENGTH + ".");
    }
  }

  private static void checkValue(String kind, String key, String value, int max) {
    if (value == null) {
      throw new IllegalArgumentException(kind + " '" + key + "' has a null value; MLflow " + kind
          + " values are strings (use \"\" for empty).");
    }
    if (value.length() > max) {
      throw new IllegalArgumentException(kind + " '" + key + "' has a value of " + value.length()
          + " characters; MLflow allows at most " + max + " (log long text as an artifact instead).");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
