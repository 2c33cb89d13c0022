package dev.tessera.pipelines.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.tracking.server.internal.Journal;
import dev.tessera.pipelines.tracking.server.internal.Sender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sends what runs left in the spool ({@code tessera mlflow flush}): after a crash, or when a run ended while its
 * server was away. Each journal goes to the server its header names, from its acknowledged offset on, so nothing
 * is sent twice; a fully acknowledged journal is deleted. Spools locked by a running process are left alone.
 */
public final class SpoolFlush {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SpoolFlush() {}

  /** What happened to one run's spool. */
  public record Result(String runId, String uri, Outcome outcome, long sent, long rejected, String problem) {}

  /** How a spool's flush ended. */
  public enum Outcome {
    /** Everything acknowledged; the spool is deleted. */
    FLUSHED,
    /** The server did not take everything within the timeout; the rest stays. */
    INCOMPLETE,
    /** Another process owns the spool (a run in progress). */
    IN_USE
  }

  /**
   * Flushes every spool in {@code settings.spoolDirectory()}, waiting at most {@code timeout} per run. The
   * settings give credentials and timeouts; the URI comes from each spool.
   */
  public static List<Result> flushAll(ServerSettings settings, Duration timeout) {
    try {
      List<Result> results = new ArrayList<>();
      for (String runId : Journal.runIds(settings.spoolDirectory())) {
        results.add(flush(settings, runId, timeout));
      }
      return results;
    } catch (IOException e) {
      throw new UncheckedIOException("could not flush the spool " + settings.spoolDirectory() + ": "
          + e.getMessage(), e);
    }
  }

  private static Result flush(ServerSettings settings, String runId, Duration timeout) throws IOException {
    Optional<Journal> opened = Journal.open(settings.spoolDirectory(), runId);
    if (opened.isEmpty()) {
      return new Result(runId, "", Outcome.IN_USE, 0, 0, "in use by a running process");
    }
    Journal journal = opened.get();
    boolean drained = false;
    try {
      List<Journal.Line> first = journal.read(0, 1 << 16);
      if (first.isEmpty()) {
        drained = true;
        return new Result(runId, "", Outcome.FLUSHED, 0, 0, null);
      }
      JsonNode header = JSON.readTree(first.get(0).bytes());
      if (!"h".equals(header.path("t").asText())) {
        throw new IOException("spool " + journal.file() + " has no header line");
      }
      String uri = header.get("uri").asText();
      ServerTracker tracker = ServerTracker.unchecked(settings.withUri(URI.create(uri)));
      try {
        Sender sender = tracker.sender(journal, header.get("exp").asText(), runId);
        sender.start();
        drained = sender.drainAndStop(timeout);
        return new Result(runId, uri, drained ? Outcome.FLUSHED : Outcome.INCOMPLETE, sender.sent(),
            sender.rejected(), drained ? null : sender.problem());
      } finally {
        tracker.close();
      }
    } finally {
      journal.close(drained);
    }
  }
}
