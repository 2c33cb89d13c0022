package dev.tessera.runners.cli.schedule;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** What happens to firings that fell into a time no scheduler was running. */
public enum MissedPolicy {
  /** Run the latest missed firing once, when the scheduler is back; record the others as missed-skipped. */
  RUN_ONCE("run-once"),
  /** Record every missed firing as missed-skipped. */
  SKIP("skip");

  private final String label;

  MissedPolicy(String label) {
    this.label = label;
  }

  @JsonValue
  public String label() {
    return label;
  }

  /** The policy of that label, or an error naming the value and the allowed ones. */
  @JsonCreator
  public static MissedPolicy parse(String label) {
    return Arrays.stream(values()).filter(p -> p.label.equals(label)).findFirst().orElseThrow(
        () -> new IllegalArgumentException("--missed '" + label + "' is not a policy. Allowed: run-once (the "
            + "default: after downtime, run the latest missed firing once), skip. Example: --missed skip."));
  }
}
