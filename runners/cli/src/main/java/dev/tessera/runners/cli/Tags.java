package dev.tessera.runners.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** System tags for tracked runs. */
final class Tags {
  private Tags() {}

  static Map<String, String> system(String experiment) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("mlflow.user", System.getProperty("user.name", "unknown"));
    tags.put("mlflow.source.name", "tessera run " + experiment);
    tags.put("mlflow.source.type", "LOCAL");
    return tags;
  }
}
