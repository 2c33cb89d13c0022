package dev.tessera.runners.cli.schedule;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;

/**
 * Completes the model publications (registration, promotion) that succeeded runs of scheduled firings left pending
 * because the MLflow server was away, and tells a schedule's webhook about each promotion.
 *
 * <p>A firing whose run succeeded but left {@code publication-pending.json} is {@code publication-pending}; this
 * class runs {@code tessera resume <run-id>} ({@link Launcher#complete}) as a child process to complete it, which
 * the {@link Scheduler} watches like any run and hands back here when it ends. Guarantees:
 * <ul>
 *   <li><b>Back-off</b>: a completion starts 1, 2, 4, 8, 16, 30, 30 and 30 minutes after the previous attempt ended
 *       (about two hours in all), {@value #PUBLISH_ATTEMPTS} completions at most; then the firing ends
 *       {@code publication-failed}, posted to the webhook with the command that still completes it by hand.
 *   <li><b>Restart-safe</b>: the completions so far and the time of the next one live in the firing's record
 *       ({@link FiringRecord#publications()}, {@link FiringRecord#retryAt()}), saved before each completion starts;
 *       a scheduler that takes the firing over carries on from there, so a restart neither resets the back-off nor
 *       grants more completions.
 *   <li><b>Settled once</b>: the completion that gets through ends the firing {@code promoted}, {@code kept-champion}
 *       or {@code registered}, by what the run's gate decided; a settled firing is never taken over again.
 *   <li><b>Once-only webhook</b>: a promotion is posted by the scheduler that holds the firing's claim when it sees
 *       the process that published the model end, right after settling the firing; so the {@code promoted} event
 *       goes out once for a firing, also across scheduler restarts and takeovers (it is sent in the background: a
 *       scheduler killed before sending it loses it, it never goes out twice).
 * </ul>
 * A pending publication counts as a running firing for its schedule's overlap policy (see {@link Scheduler}), so
 * champion decisions stay in firing order. Time comes from the injected {@link Clock} only.
 */
final class PublicationCompleter {
  /** Completions of a pending publication per firing at most. */
  static final int PUBLISH_ATTEMPTS = 8;
  /** The wait before the first completion of a pending publication; it doubles after each one that fails. */
  static final Duration PUBLISH_BACKOFF = Duration.ofMinutes(1);
  /** The longest wait between two completions (waits of 1, 2, 4, 8, 16, 30, 30, 30 minutes: about 2 h). */
  static final Duration PUBLISH_BACKOFF_MAX = Duration.ofMinutes(30);

  /** What the completer asks of the scheduler that holds the firings. */
  interface Firings {
    /** Ends the firing with {@code outcome}: saves it, lets its claim go, logs it, posts a failure. */
    void settle(ActiveFiring firing, FiringOutcome outcome, String reason);

    /** Logs one decision about the firing. */
    void say(ActiveFiring firing, String decision, String why);

    /** Posts the event to the webhook of the firing's schedule, in the background. */
    void post(ActiveFiring firing, WebhookEvent event);
  }

  private final ScheduleStore store;
  private final Launcher launcher;
  private final Clock clock;
  private final Firings firings;

  PublicationCompleter(ScheduleStore store, Launcher launcher, Clock clock, Firings firings) {
    this.store = store;
    this.launcher = launcher;
    this.clock = clock;
    this.firings = firings;
  }

  /**
   * The run (or a completion) ended with the publication still pending: waits with back-off before the next
   * completion, or gives up after {@link #PUBLISH_ATTEMPTS} completions.
   */
  void pending(ActiveFiring a, String detail) {
    a.run = null;
    String runId = a.record.runId();
    if (a.record.publications() >= PUBLISH_ATTEMPTS) {
      firings.settle(a, FiringOutcome.PUBLICATION_FAILED, detail + "; gave up after " + a.record.publications()
          + " completion attempts; complete it once the server is back: tessera resume " + runId);
      return;
    }
    Duration wait = PUBLISH_BACKOFF.multipliedBy(1L << Math.min(a.record.publications(), 16));
    Instant next = clock.instant().plus(wait.compareTo(PUBLISH_BACKOFF_MAX) > 0 ? PUBLISH_BACKOFF_MAX : wait);
    String first = a.record.outcome() == FiringOutcome.PUBLICATION_PENDING ? a.record.reason() : detail;
    a.record = a.record.publicationPending(first, next);
    store.saveFiring(a.record);
    firings.say(a, FiringOutcome.PUBLICATION_PENDING.label(), detail + "; completion "
        + (a.record.publications() + 1) + " of " + PUBLISH_ATTEMPTS + " ('tessera resume " + runId + "') at "
        + next);
  }

  /** Logs that this scheduler took over a firing that waits for its next completion. */
  void tookOver(ActiveFiring a) {
    firings.say(a, "took over pending publication", "run " + a.record.runId() + ", " + a.record.publications()
        + " completion(s) so far, next at " + a.record.retryAt() + ": its scheduler stopped");
  }

  /** Starts the completions of the held firings whose back-off has passed. */
  void startDue(Collection<ActiveFiring> held, Instant now) {
    for (ActiveFiring a : new ArrayList<>(held)) {
      if (a.run != null || a.record.retryTime().isEmpty() || now.isBefore(a.record.retryTime().get())) {
        continue;
      }
      a.record = a.record.publishing(now);
      store.saveFiring(a.record);
      try {
        a.run = launcher.complete(a.schedule, a.record.scheduled(), a.record.runId(),
            store.logFile(a.schedule.name(), a.record.scheduled()));
        a.record = a.record.launched(a.run.pid());
        store.saveFiring(a.record);
        firings.say(a, "completing publication", "pid " + a.run.pid() + ", tessera resume " + a.record.runId()
            + ", completion " + a.record.publications() + " of " + PUBLISH_ATTEMPTS);
      } catch (IOException | RuntimeException e) {
        pending(a, "could not start 'tessera resume " + a.record.runId() + "': " + e);
      }
    }
  }

  /** A completion published the run's model: the firing ends with what the gate decided. */
  void completed(ActiveFiring a, RunEnd end) {
    FiringOutcome outcome = end.gate().map(g -> g.promoted() ? FiringOutcome.PROMOTED : FiringOutcome.KEPT_CHAMPION)
        .orElse(FiringOutcome.REGISTERED);
    String decided = end.gate().map(g -> g.model() + " version " + g.tag("challenger_version") + ": "
        + g.tag("reason")).orElse("registered");
    firings.settle(a, outcome, decided + "; completed by 'tessera resume " + a.record.runId() + "' (completion "
        + a.record.publications() + ") after " + a.record.reason());
  }

  /** Tells the schedule's webhook, if it has one, that the firing's run (or completion) made its model champion. */
  void announce(ActiveFiring a, GateOutcome gate) {
    firings.say(a, "promoted", gate.model() + " version " + gate.tag("challenger_version") + " is the champion: "
        + gate.tag("reason"));
    if (a.schedule.webhook() != null) {
      firings.post(a, WebhookEvent.promoted(a.schedule.name(), a.schedule.experiment(), a.localTime(),
          a.record.runId(), gate));
    }
  }
}
