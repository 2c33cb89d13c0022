package dev.tessera.pipelines.tracking.mlflow.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MlflowKeysTest {

  private static String error(String kind, String key) {
    return assertThrows(IllegalArgumentException.class, () -> MlflowKeys.checkKey(kind, key)).getMessage();
  }

  @ParameterizedTest
  @ValueSource(strings = {"train.lr", "train/loss", "a b", "system/cpu-util", "größe", "x_1", "..a", "a..b"})
  void acceptsMlflowKeys(String key) {
    assertDoesNotThrow(() -> MlflowKeys.checkKey("metric", key));
  }

  @Test
  void rejectsTooLongKey() {
    assertEquals("param key '" + "k".repeat(57) + "...' is 251 characters long; MLflow allows at most 250.",
        error("param", "k".repeat(251)));
  }

  @Test
  void rejectsDisallowedCharacter() {
    assertEquals("tag key 'a:b' contains ':'; MLflow keys may only contain letters, digits, '_', '-', '.', ' ' "
        + "and '/'.", error("tag", "a:b"));
  }

  @Test
  void rejectsLeadingSlash() {
    assertEquals("metric key '/loss' starts with '/'; MLflow keys are relative paths (drop the leading '/').",
        error("metric", "/loss"));
  }

  @Test
  void rejectsDotDotSegment() {
    assertEquals("param key 'a/../b' contains a '..' segment; MLflow stores keys as file paths, so it would name "
        + "another key.", error("param", "a/../b"));
  }

  @Test
  void rejectsEmptySegments() {
    assertEquals("metric key 'a//b' has an empty or '.' path segment (from '//', a trailing '/' or '/./'); MLflow "
        + "stores keys as file paths, so it would name another key.", error("metric", "a//b"));
    error("metric", "a/");
    error("metric", "./a");
    error("metric", "");
  }

  @Test
  void rejectsLongValues() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MlflowKeys.checkParamValue("train.notes", "x".repeat(6001)));
    assertEquals("param 'train.notes' has a value of 6001 characters; MLflow allows at most 6000 (log long text as "
        + "an artifact instead).", e.getMessage());
  }
}
