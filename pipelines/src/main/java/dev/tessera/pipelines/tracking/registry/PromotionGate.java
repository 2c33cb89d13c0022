package dev.tessera.pipelines.tracking.registry;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The champion/challenger gate: a newly registered version gets the alias {@code challenger}, and becomes the
 * {@code champion} only when its value of the gate's metric beats the champion's by the margin of its
 * {@link GateSpec} (ties keep the champion). The decision, both values and the reason are tagged on the new version
 * and on the run that trained it ({@link GateDecision#tags()}).
 *
 * <p>The champion's value is the one recorded on its version when it was registered (tag
 * {@code tessera.metric.<metric>}), unless the caller measured the champion again on the same data in the same run
 * and passes that value, which is the fairer comparison when the evaluation data has grown.
 *
 * <pre>{@code
 * PromotionGate gate = new PromotionGate(GateSpec.parse("evaluate/accuracy:max:0.001"));
 * GateDecision d = gate.registerAndDecide(registry, "mnist-lenet", runId, "train/model", 0.991,
 *     OptionalDouble.empty());
 * }</pre>
 */
public final class PromotionGate {
  /** The version tag prefix holding the value a version scored when it was registered. */
  public static final String VALUE_TAG_PREFIX = "tessera.metric.";

  private final GateSpec spec;

  public PromotionGate(GateSpec spec) {
    this.spec = spec;
  }

  public GateSpec spec() {
    return spec;
  }

  /** Registers the run's model as a new version of {@code model}, then {@link #decide decides} on it. */
  public GateDecision registerAndDecide(ModelRegistry registry, String model, String runId, String artifactPath,
      double value, OptionalDouble championMeasuredNow) {
    ModelVersion version = registry.register(model, runId, artifactPath, Map.of(valueTag(), format(value)));
    return decide(registry, model, version, value, championMeasuredNow);
  }

  /**
   * Aliases {@code challenger} as the challenger, compares it with the champion, moves the champion alias when it
   * wins, and tags the decision on the version and its run.
   *
   * @param value the challenger's value of the gate's metric
   * @param championMeasuredNow the champion's value measured on the same data in this run, if the caller did so;
   *     otherwise the value recorded on the champion's version is used
   */
  public GateDecision decide(ModelRegistry registry, String model, ModelVersion challenger, double value,
      OptionalDouble championMeasuredNow) {
    registry.setVersionTags(model, challenger.version(), Map.of(valueTag(), format(value)));
    Optional<ModelVersion> champion = registry.byAlias(model, ModelRegistry.CHAMPION)
        .filter(c -> c.version() != challenger.version());
    registry.setAlias(model, ModelRegistry.CHALLENGER, challenger.version());
    OptionalDouble championValue = championMeasuredNow.isPresent() ? championMeasuredNow
        : champion.flatMap(c -> Optional.ofNullable(c.tags().get(valueTag())))
            .map(v -> OptionalDouble.of(Double.parseDouble(v))).orElse(OptionalDouble.empty());
    OptionalLong championVersion = champion.map(c -> OptionalLong.of(c.version())).orElse(OptionalLong.empty());
    boolean promoted;
    String reason;
    if (champion.isEmpty()) {
      promoted = !Double.isNaN(value);
      reason = promoted ? "no champion yet; " + spec.metric() + " = " + format(value)
          : spec.metric() + " is NaN; a model without a value cannot become the champion";
    } else if (championValue.isEmpty()) {
      promoted = false;
      reason = "champion version " + champion.get().version() + " has no recorded " + spec.metric() + " (tag "
          + valueTag() + "), so the gate cannot compare; move the alias yourself if version "
          + challenger.version() + " should serve";
    } else {
      double old = championValue.getAsDouble();
      promoted = spec.beats(value, old);
      String comparison = spec.metric() + " " + format(value) + " vs champion version " + champion.get().version()
          + " " + format(old) + (championMeasuredNow.isPresent() ? " (measured again on the same data)" : "");
      reason = comparison + (promoted
          ? "; better by at least " + format(spec.minImprovement()) + " (" + mode() + ")"
          : "; not better by at least " + format(spec.minImprovement()) + " (" + mode() + "; ties keep the "
              + "champion)");
    }
    if (promoted) {
      registry.setAlias(model, ModelRegistry.CHAMPION, challenger.version());
    }
    GateDecision decision = new GateDecision(spec, challenger.version(), value, championVersion, championValue,
        promoted, reason);
    registry.setVersionTags(model, challenger.version(), decision.tags());
    if (challenger.runId() != null && !challenger.runId().isEmpty()) {
      registry.setRunTags(challenger.runId(), decision.tags());
    }
    return decision;
  }

  private String valueTag() {
    return VALUE_TAG_PREFIX + spec.metric();
  }

  private String mode() {
    return spec.mode() == GateSpec.Mode.MAX ? "higher is better" : "lower is better";
  }

  private static String format(double value) {
    return Double.toString(value);
  }
}
