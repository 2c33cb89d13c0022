package dev.tessera.runners.cli.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON body POSTed to a schedule's webhook. A {@code failed} event leaves the model fields out; a
 * {@code promoted} event names the model version that became the champion and both values of the gate's metric.
 *
 * @param schedule the schedule's name
 * @param experiment the experiment it runs
 * @param firingTime the scheduled time, in the schedule's zone (ISO-8601 with offset)
 * @param runId the Tessera run, or null when none started
 * @param outcome {@code failed} or {@code promoted}
 * @param reason why, in words
 * @param model the registered model (promotions only)
 * @param version its new champion version (promotions only)
 * @param metric the gate's metric, {@code stage/key} (promotions only)
 * @param challengerValue the new version's value of the metric (promotions only)
 * @param championValue the previous champion's value, null when there was no champion
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookEvent(String schedule, String experiment, String firingTime, String runId, String outcome,
    String reason, String model, Long version, String metric, Double challengerValue, Double championValue) {

  /** The outcome of an event that tells about a promotion. */
  public static final String PROMOTED = "promoted";

  /** An event without a model (a failure). */
  public WebhookEvent(String schedule, String experiment, String firingTime, String runId, String outcome,
      String reason) {
    this(schedule, experiment, firingTime, runId, outcome, reason, null, null, null, null, null);
  }

  /** The event of a run whose gate made its model the champion. */
  static WebhookEvent promoted(String schedule, String experiment, String firingTime, String runId,
      GateOutcome gate) {
    return new WebhookEvent(schedule, experiment, firingTime, runId, PROMOTED, gate.tag("reason"), gate.model(),
        number(gate.tag("challenger_version"), Long::valueOf), gate.tag("metric"),
        number(gate.tag("challenger_value"), Double::valueOf), number(gate.tag("champion_value"), Double::valueOf));
  }

  private static <T> T number(String text, java.util.function.Function<String, T> parse) {
    return text == null ? null : parse.apply(text);
  }
}
