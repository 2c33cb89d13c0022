package dev.tessera.pipelines.tracking.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What the promotion gate decided for one new model version, with both values and why.
 *
 * @param spec the gate
 * @param challengerVersion the new version (now aliased {@code challenger})
 * @param challengerValue its value of the gate's metric
 * @param championVersion the champion before the decision; empty when there was none
 * @param championValue the champion's value; empty when there was no champion or it had no recorded value
 * @param promoted whether the new version became the champion
 * @param reason why, in words
 */
public record GateDecision(GateSpec spec, long challengerVersion, double challengerValue,
    OptionalLong championVersion, OptionalDouble championValue, boolean promoted, String reason) {

  /** The tag key prefix of the decision, on the run and on the model version. */
  public static final String TAG_PREFIX = "tessera.gate.";

  /** The decision as tags ({@code tessera.gate.decision}, {@code ...challenger_value}, ...). */
  public Map<String, String> tags() {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(TAG_PREFIX + "decision", promoted ? "promoted" : "kept");
    tags.put(TAG_PREFIX + "spec", spec.toString());
    tags.put(TAG_PREFIX + "metric", spec.metric());
    tags.put(TAG_PREFIX + "challenger_version", Long.toString(challengerVersion));
    tags.put(TAG_PREFIX + "challenger_value", Double.toString(challengerValue));
    championVersion.ifPresent(v -> tags.put(TAG_PREFIX + "champion_version", Long.toString(v)));
    championValue.ifPresent(v -> tags.put(TAG_PREFIX + "champion_value", Double.toString(v)));
    tags.put(TAG_PREFIX + "reason", reason);
    return tags;
  }

  /** One line for logs: {@code promoted version 3 (0.95 vs champion version 2 0.93): ...}. */
  public String describe() {
    return (promoted ? "promoted version " : "kept the champion; version ") + challengerVersion + ": " + reason;
  }
}
