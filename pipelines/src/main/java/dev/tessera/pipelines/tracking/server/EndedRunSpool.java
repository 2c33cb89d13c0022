package dev.tessera.pipelines.tracking.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.pipelines.tracking.server.internal.Journal;
import dev.tessera.pipelines.tracking.server.internal.Sender;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls about a run that has already ended (its dataset inputs, logged after its stages), sent through the run's
 * spool like the run's own records: appended to {@code <spool>/<run id>.jsonl} (after whatever the run left there
 * unsent, so the order holds), then sent while the caller waits up to the end timeout. A server that is away
 * leaves the record in the spool for {@code tessera mlflow flush}; the caller never fails on an outage, and does
 * not wait the end timeout for a server that refuses the connection (one health probe first).
 *
 * <p>A spool opened only for such calls has a header marked {@code "ended": true}: flush then knows the run's own
 * end was already taken and does not end the run as {@code KILLED}.
 */
public final class EndedRunSpool {
  private static final Logger LOG = LoggerFactory.getLogger(EndedRunSpool.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private EndedRunSpool() {}

  /**
   * Appends {@code record} (a journal record such as {@code {"t":"i","body":{...}}}) to the spool of run
   * {@code runId} on {@code tracker}'s server and sends it.
   *
   * @return true if the server took everything in the spool (which is then deleted), false if the rest stays in
   *     the spool for {@code tessera mlflow flush}
   * @throws IllegalStateException if another process holds the run's spool (the run is still running there)
   */
  public static boolean send(ServerTracker tracker, String runId, ObjectNode record) {
    ServerSettings settings = tracker.settings();
    try {
      Journal journal = Journal.open(settings.spoolDirectory(), runId).orElseThrow(() -> new IllegalStateException(
          "the spool of run " + runId + " in " + settings.spoolDirectory() + " is in use by another process; "
              + "let that process end the run first."));
      boolean drained = false;
      boolean ownedByRun = journal.size() > 0;
      try {
        String experimentId = "";
        if (ownedByRun) {
          experimentId = JSON.readTree(journal.read(0, 1 << 16).get(0).bytes()).path("exp").asText("");
        } else {
          journal.append(JSON.writeValueAsBytes(JSON.createObjectNode().put("t", "h").put("uri", tracker.location())
              .put("exp", experimentId).put("run", runId).put("ended", true)));
        }
        journal.append(JSON.writeValueAsBytes(record));
        journal.force();
        String away = unreachable(tracker);
        if (away != null) {
          // No wait of the end timeout for a server that is not there: the record is kept for a flush.
          LOG.warn("MLflow server {} is unreachable ({}); the {} record of ended run {} stays in {}: run 'tessera "
              + "mlflow flush' when the server is back", tracker.location(), away, record.path("t").asText(), runId,
              journal.file());
          return false;
        }
        Sender sender = tracker.sender(journal, experimentId, runId);
        sender.start();
        drained = sender.drainAndStop(settings.endTimeout());
        if (!drained) {
          LOG.warn("MLflow server {} did not take the {} record of ended run {} ({}); it stays in {}: run "
              + "'tessera mlflow flush' when the server is back", tracker.location(), record.path("t").asText(),
              runId, sender.problem(), journal.file());
        }
        // A leftover spool of the run's own is deleted only once its end was taken too, as flush would.
        drained = drained && (!ownedByRun || SpoolFlush.endRecord(journal).isPresent());
        return drained;
      } finally {
        journal.close(drained);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not spool a record of run " + runId + " in "
          + settings.spoolDirectory() + ": " + e.getMessage(), e);
    }
  }

  /** Why the server cannot be reached (one {@code GET /health}, no retries), or null when it answers at all. */
  private static String unreachable(ServerTracker tracker) {
    try {
      tracker.rest().get("/health");
      return null;
    } catch (IOException e) {
      return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
  }

  /** Whether a spool header says the spool was opened only for calls after the run's end. */
  static boolean openedAfterEnd(com.fasterxml.jackson.databind.JsonNode header) {
    return header.path("ended").asBoolean(false);
  }
}
