package dev.tessera.runners.cli.schedule;

/**
 * The JSON body POSTed to a schedule's webhook.
 *
 * @param schedule the schedule's name
 * @param experiment the experiment it runs
 * @param firingTime the scheduled time, in the schedule's zone (ISO-8601 with offset)
 * @param runId the Tessera run, or null when none started
 * @param outcome the firing's outcome ({@code failed}, ...)
 * @param reason why, in words
 */
public record WebhookEvent(String schedule, String experiment, String firingTime, String runId, String outcome,
    String reason) {}
