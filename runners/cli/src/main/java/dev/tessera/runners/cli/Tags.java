package dev.tessera.runners.cli;

import dev.tessera.pipelines.exec.RunRecord;
import dev.tessera.pipelines.tracking.mlflow.SystemTags;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * System tags for tracked runs: user, source, git commit, and the schedule firing when a scheduler started the run
 * (the run name is set by the executor).
 */
final class Tags {
  private Tags() {}

  static Map<String, String> system(String experiment) {
    Map<String, String> tags = new LinkedHashMap<>(SystemTags.of("", "tessera run " + experiment,
        Path.of(System.getProperty("user.dir", "."))));
    // A scheduler marks the runs it starts with their firing; recorded so a takeover finds them after they ended.
    String firing = System.getProperty(RunRecord.FIRING_TAG);
    if (firing != null && !firing.isBlank()) {
      tags.put(RunRecord.FIRING_TAG, firing);
    }
    return tags;
  }
}
