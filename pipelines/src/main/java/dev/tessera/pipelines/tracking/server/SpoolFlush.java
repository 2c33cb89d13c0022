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
 *
 * <p>A spool that nobody holds and that has no end record belongs to a process that died: flush ends its run as
 * {@code KILLED} (at the time of the flush), by appending the end record to the journal first, so that a flush cut
 * short sends it next time. {@code tessera resume} of that run sets it back to {@code RUNNING}. A spool that
 * {@link EndedRunSpool} opened after the run had ended (its dataset inputs) has no end record by design.
 */
public final class SpoolFlush {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] END_PREFIX = "{\"t\":\"e\"".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private SpoolFlush() {}

  /**
   * What happened to one run's spool.
   *
   * @param endedAsKilled the run's process died without ending the run, so flush ended it as {@code KILLED} (in
   *     this flush or in an earlier one that could not finish)
   */
  public record Result(String runId, String uri, Outcome outcome, long sent, long rejected, String problem,
      boolean endedAsKilled) {}

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
      return new Result(runId, "", Outcome.IN_USE, 0, 0, "in use by a running process", false);
    }
    Journal journal = opened.get();
    boolean drained = false;
    try {
      List<Journal.Line> first = journal.read(0, 1 << 16);
      if (first.isEmpty()) {
        drained = true;
        return new Result(runId, "", Outcome.FLUSHED, 0, 0, null, false);
      }
      JsonNode header = JSON.readTree(first.get(0).bytes());
      if (!"h".equals(header.path("t").asText())) {
        throw new IOException("spool " + journal.file() + " has no header line");
      }
      String uri = header.get("uri").asText();
      Optional<JsonNode> end = endRecord(journal);
      boolean afterEnd = EndedRunSpool.openedAfterEnd(header);
      if (end.isEmpty() && !afterEnd) {
        journal.append(JSON.writeValueAsBytes(JSON.createObjectNode().put("t", "e").put("status", "KILLED")
            .put("ts", System.currentTimeMillis()).put("by", "flush")));
        journal.force();
      }
      boolean orphaned = !afterEnd && (end.isEmpty() || "flush".equals(end.get().path("by").asText()));
      ServerTracker tracker = ServerTracker.unchecked(settings.withUri(URI.create(uri)));
      try {
        Sender sender = tracker.sender(journal, header.get("exp").asText(), runId);
        sender.start();
        drained = sender.drainAndStop(timeout);
        return new Result(runId, uri, drained ? Outcome.FLUSHED : Outcome.INCOMPLETE, sender.sent(),
            sender.rejected(), drained ? null : sender.problem(), orphaned);
      } finally {
        tracker.close();
      }
    } finally {
      journal.close(drained);
    }
  }

  /**
   * The run's end record, acknowledged or not (a flush that died between the last acknowledgement and deleting the
   * journal leaves an acknowledged one). Records are written with their type first, so a prefix test finds it
   * without parsing every line.
   */
  static Optional<JsonNode> endRecord(Journal journal) throws IOException {
    long offset = 0;
    while (true) {
      List<Journal.Line> lines = journal.read(offset, 1 << 20);
      if (lines.isEmpty()) {
        return Optional.empty();
      }
      for (Journal.Line line : lines) {
        if (startsWith(line.bytes(), END_PREFIX)) {
          return Optional.of(JSON.readTree(line.bytes()));
        }
      }
      offset = lines.get(lines.size() - 1).end();
    }
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length && java.util.Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }
}
