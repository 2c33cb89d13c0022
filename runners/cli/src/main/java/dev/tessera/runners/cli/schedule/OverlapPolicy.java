package dev.tessera.runners.cli.schedule;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** What a firing does while the previous run of the same schedule still runs. */
public enum OverlapPolicy {
  /** Record the firing as skipped-overlap. */
  SKIP("skip"),
  /** Wait, and start when the previous run ends (firings queue in order). */
  QUEUE("queue");

  private final String label;

  OverlapPolicy(String label) {
    this.label = label;
  }

  @JsonValue
  public String label() {
    return label;
  }

  /** The policy of that label, or an error naming the value and the allowed ones. */
  @JsonCreator
  public static OverlapPolicy parse(String label) {
    return Arrays.stream(values()).filter(p -> p.label.equals(label)).findFirst().orElseThrow(
        () -> new IllegalArgumentException("--overlap '" + label + "' is not a policy. Allowed: skip (the "
            + "default: drop the firing), queue (run it when the previous run ends). Example: --overlap queue."));
  }
}
