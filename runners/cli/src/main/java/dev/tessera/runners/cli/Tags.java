package dev.tessera.runners.cli;

import dev.tessera.pipelines.tracking.mlflow.SystemTags;
import java.nio.file.Path;
import java.util.Map;

/** System tags for tracked runs: user, source, git commit (the run name is set by the executor). */
final class Tags {
  private Tags() {}

  static Map<String, String> system(String experiment) {
    return SystemTags.of("", "tessera run " + experiment, Path.of(System.getProperty("user.dir", ".")));
  }
}
