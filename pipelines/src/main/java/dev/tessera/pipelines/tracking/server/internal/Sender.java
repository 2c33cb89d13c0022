package dev.tessera.pipelines.tracking.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background thread that replays a run's {@link Journal} to the server in order: metrics, params and tags as
 * {@code runs/log-batch} requests ({@link BatchPlanner}), artifacts as one {@code PUT} per file, dataset inputs as
 * {@code runs/log-inputs} requests, the end of the run through the {@link Terminator}. After each success the
 * acknowledged offset is persisted, so nothing acknowledged
 * is sent again (a crash between the server's answer and the ack write resends one request: MLflow ignores the
 * repeated tags and params, and its SQL store keeps one row per identical metric point).
 *
 * <p><b>Several requests in flight.</b> Up to {@code window} consecutive metric-only batches are sent at once and
 * acknowledged in journal order: the acknowledged offset only moves past a batch when it and every batch before it
 * were taken, so an outage never leaves a gap. Batches after a failed one may have been taken already and are sent
 * again with it; that is harmless because metric points are what MLflow deduplicates (its SQL store keeps one row
 * per identical point, and the order of metric points does not matter to it). MLflow's file store (the fastest
 * backend, see BENCHMARKS.md) does not deduplicate: there such a resend, like the crash case above, leaves the
 * resent points twice in the history. Batches holding params or tags are always sent alone, after everything
 * before them was taken, so that the last tag value wins.
 *
 * <p>Connection errors, timeouts, 5xx, 429, 401 and 403 leave the record in the journal: the sender waits (with
 * exponential backoff up to the maximum) and tries again until the server takes it. Other 4xx answers mean the
 * server will never take the record; such records are written to the spool's rejected file with the server's
 * message (a log-batch is first split into single records so only the bad ones are set aside), and counted.
 */
public final class Sender {
  private static final Logger LOG = LoggerFactory.getLogger(Sender.class);
  private static final int READ_BYTES = 4 << 20;

  /** Ends the run on the server. */
  @FunctionalInterface
  public interface Terminator {
    /** @throws Retry to try again later; any other runtime exception refuses the record for good */
    void terminate(String status, long endTimeMillis);
  }

  /** A failure worth trying again after a wait. */
  public static final class Retry extends RuntimeException {
    public Retry(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Journal journal;
  private final Rest rest;
  private final String experimentId;
  private final String runId;
  private final Terminator terminator;
  private final Duration fsyncInterval;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration requestTimeout;
  private final int window;
  private final List<BatchPlanner.Entry> pending = new ArrayList<>();
  private long pendingEnd;
  private final Object signal = new Object();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final Thread thread;
  private volatile boolean stopping;
  private volatile boolean ended;
  private volatile boolean waiting;
  private volatile long stopDeadlineNanos = Long.MAX_VALUE;
  private volatile String problem;

  public Sender(Journal journal, Rest rest, String experimentId, String runId, Terminator terminator,
      Duration fsyncInterval, Duration initialBackoff, Duration maxBackoff, Duration requestTimeout, int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be >= 1, but was " + window);
    }
    this.window = window;
    this.requestTimeout = requestTimeout;
    this.journal = journal;
    this.rest = rest;
    this.experimentId = experimentId;
    this.runId = runId;
    this.terminator = terminator;
    this.fsyncInterval = fsyncInterval;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.thread = new Thread(this::loop, "tessera-mlflow-sender-" + runId);
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Wakes the thread if it is idle (after an append). Cheap when it is busy. */
  public void wake() {
    if (waiting) {
      synchronized (signal) {
        signal.notifyAll();
      }
    }
  }

  /**
   * Sends what is left, waiting at most {@code timeout}, then stops the thread.
   *
   * @return true if the whole journal was acknowledged
   */
  public boolean drainAndStop(Duration timeout) {
    stopDeadlineNanos = System.nanoTime() + timeout.toNanos();
    stopping = true;
    synchronized (signal) {
      signal.notifyAll();
    }
    // Never interrupt the thread: an interrupt closes the journal's FileChannel under it. It stops by itself at
    // the deadline, at the latest when its request in flight times out.
    try {
      thread.join(Math.max(1, timeout.toMillis()) + requestTimeout.toMillis() + 1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return journal.acked() >= journal.size();
  }

  /** Whether the end-of-run record was taken by the server. */
  public boolean ended() {
    return ended;
  }

  /** Records the server refused for good (see the spool's rejected file). */
  public long rejected() {
    return rejected.get();
  }

  /** Records the server acknowledged so far. */
  public long sent() {
    return sent.get();
  }

  /** The last problem that made the sender wait, or null. */
  public String problem() {
    return problem;
  }

  private void loop() {
    long nextFsync = System.nanoTime() + fsyncInterval.toNanos();
    Duration backoff = initialBackoff;
    try {
      while (!(stopping && System.nanoTime() >= stopDeadlineNanos)) {
        if (System.nanoTime() >= nextFsync) {
          journal.force();
          nextFsync = System.nanoTime() + fsyncInterval.toNanos();
        }
        long acked = journal.acked();
        if (acked >= journal.size()) {
          if (stopping) {
            break;
          }
          await(Math.max(1, (nextFsync - System.nanoTime()) / 1_000_000));
          continue;
        }
        List<BatchPlanner.Entry> entries = pending(acked);
        if (entries.isEmpty()) {
          await(5);
          continue;
        }
        try {
          sendHead(entries);
          if (problem != null) {
            LOG.info("MLflow server {} answers again; sending the spooled records of run {}", rest.uri(), runId);
            problem = null;
          }
          backoff = initialBackoff;
        } catch (Retry e) {
          if (problem == null) {
            LOG.warn("MLflow server {} is not taking records of run {} ({}); they stay in the spool {} and are "
                + "sent when it answers", rest.uri(), runId, e.getMessage(), journal.file());
          }
          problem = e.getMessage();
          if (stopping && System.nanoTime() >= stopDeadlineNanos) {
            break;
          }
          await(backoff.toMillis());
          backoff = Rest.min(backoff.multipliedBy(2), maxBackoff);
        }
      }
    } catch (IOException e) {
      problem = "spool I/O failed: " + e;
      if (!(e instanceof InterruptedIOException)) {
        LOG.error("the spool {} of run {} failed; the records stay in it for 'tessera mlflow flush'",
            journal.file(), runId, e);
      }
    } finally {
      try {
        journal.force();
      } catch (IOException e) {
        // closed already: nothing more to force
      }
    }
  }

  private void sendHead(List<BatchPlanner.Entry> entries) throws IOException {
    BatchPlanner.Entry head = entries.get(0);
    switch (head.type()) {
      case "m", "p", "g" -> sendBatches(entries);
      case "a" -> {
        uploadArtifact(head);
        journal.ack(head.end());
        sent.incrementAndGet();
      }
      case "i" -> {
        logInputs(head);
        journal.ack(head.end());
        sent.incrementAndGet();
      }
      case "e" -> {
        terminate(head);
        journal.ack(head.end());
        sent.incrementAndGet();
        ended = true;
      }
      default -> journal.ack(head.end()); // the header and unknown records carry nothing to send
    }
  }

  /** Sends the batches at the head of {@code entries}: up to {@code window} at once if they hold only metrics. */
  private void sendBatches(List<BatchPlanner.Entry> entries) throws IOException {
    List<BatchPlanner.Batch> batches = new ArrayList<>();
    List<BatchPlanner.Entry> left = entries;
    while (batches.size() < window && !left.isEmpty() && left.get(0).batchable()) {
      BatchPlanner.Batch batch = BatchPlanner.next(left);
      if (!batch.metricsOnly() && !batches.isEmpty()) {
        break;
      }
      batches.add(batch);
      if (!batch.metricsOnly()) {
        break;
      }
      left = left.subList(batch.entries().size(), left.size());
    }
    if (batches.size() == 1) {
      sendBatch(batches.get(0));
      return;
    }
    List<CompletableFuture<Rest.Response>> answers = new ArrayList<>(batches.size());
    for (BatchPlanner.Batch batch : batches) {
      answers.add(rest.postJsonAsync("runs/log-batch", batch.body(runId)));
    }
    long contiguous = journal.acked();
    long taken = 0;
    Retry failure = null;
    int refused = -1;
    for (int i = 0; i < batches.size(); i++) {
      Rest.Response response;
      try {
        response = answers.get(i).join();
      } catch (CompletionException | java.util.concurrent.CancellationException e) {
        if (failure == null) {
          failure = new Retry("cannot reach the server: " + (e.getCause() == null ? e : e.getCause()), e);
        }
        continue;
      }
      if (failure != null || refused >= 0) {
        continue; // waited for, so that no request of this round is still in flight when the next one starts
      }
      if (response.retryable() || response.authFailure()) {
        failure = new Retry("runs/log-batch answered " + response.status() + " " + abbreviate(response.body()),
            null);
      } else if (response.ok()) {
        contiguous = batches.get(i).end();
        taken += batches.get(i).entries().size();
      } else {
        refused = i;
      }
    }
    if (contiguous > journal.acked()) {
      journal.ack(contiguous);
      sent.addAndGet(taken);
    }
    if (failure != null) {
      throw failure;
    }
    if (refused >= 0) {
      // A permanent refusal: that batch goes through the one-by-one path; the batches after it are sent again.
      sendBatch(batches.get(refused));
    }
  }

  private void sendBatch(BatchPlanner.Batch batch) throws IOException {
    Rest.Response response = post(batch);
    if (response.ok()) {
      journal.ack(batch.end());
      sent.addAndGet(batch.entries().size());
      return;
    }
    // A permanent refusal: send the records one by one so that only the bad ones are set aside.
    for (BatchPlanner.Entry entry : batch.entries()) {
      if (entry.end() <= journal.acked()) {
        continue;
      }
      BatchPlanner.Batch single = new BatchPlanner.Batch(List.of(entry), entry.end());
      Rest.Response r = batch.entries().size() == 1 ? response : post(single);
      if (r.ok()) {
        sent.incrementAndGet();
      } else {
        reject(entry.record(), r.status(), r.body());
      }
      journal.ack(entry.end());
    }
  }

  private Rest.Response post(BatchPlanner.Batch batch) {
    Rest.Response response;
    try {
      response = rest.postJson("runs/log-batch", batch.body(runId));
    } catch (IOException e) {
      throw new Retry("cannot reach the server: " + e, e);
    }
    if (response.retryable() || response.authFailure()) {
      throw new Retry("runs/log-batch answered " + response.status() + " " + abbreviate(response.body()), null);
    }
    return response;
  }

  private void uploadArtifact(BatchPlanner.Entry entry) throws IOException {
    Path source = Path.of(entry.record().get("src").asText());
    String base = entry.record().path("path").asText("");
    List<Path> files;
    if (Files.isDirectory(source)) {
      try (Stream<Path> walk = Files.walk(source)) {
        files = walk.filter(Files::isRegularFile).sorted().toList();
      }
    } else if (Files.isRegularFile(source)) {
      files = List.of(source);
    } else {
      reject(entry.record(), 0, "the spooled copy " + source + " is missing");
      return;
    }
    for (Path file : files) {
      String relative = Files.isDirectory(source) ? source.relativize(file).toString().replace('\\', '/') : "";
      String path = relative.isEmpty() ? base : base.isEmpty() ? relative : base + "/" + relative;
      Rest.Response r;
      try {
        r = rest.putArtifact(experimentId, runId, path, file);
      } catch (IOException e) {
        throw new Retry("cannot reach the server: " + e, e);
      }
      if (r.retryable() || r.authFailure()) {
        throw new Retry("artifact upload answered " + r.status() + " " + abbreviate(r.body()), null);
      }
      if (!r.ok()) {
        ObjectNode record = ((ObjectNode) entry.record().deepCopy()).put("file", path);
        reject(record, r.status(), r.body());
      }
    }
  }

  /**
   * Sends one spooled {@code runs/log-inputs} request. The server keeps one input per dataset and context, so a
   * resend after a crash between its answer and the acknowledgement adds nothing.
   */
  private void logInputs(BatchPlanner.Entry entry) throws IOException {
    ObjectNode body = ((ObjectNode) entry.record().get("body").deepCopy()).put("run_id", runId);
    Rest.Response r;
    try {
      r = rest.postJson("runs/log-inputs", body.toString());
    } catch (IOException e) {
      throw new Retry("cannot reach the server: " + e, e);
    }
    if (r.retryable() || r.authFailure()) {
      throw new Retry("runs/log-inputs answered " + r.status() + " " + abbreviate(r.body()), null);
    }
    if (!r.ok()) {
      reject(entry.record(), r.status(), r.body());
    }
  }

  private void terminate(BatchPlanner.Entry entry) throws IOException {
    try {
      terminator.terminate(entry.record().get("status").asText(), entry.record().get("ts").asLong());
    } catch (Retry e) {
      throw e;
    } catch (RuntimeException e) {
      reject(entry.record(), 0, String.valueOf(e.getMessage()));
    }
  }

  private void reject(JsonNode record, int status, String message) throws IOException {
    rejected.incrementAndGet();
    ObjectNode line = BatchPlanner.JSON.createObjectNode();
    line.set("record", record);
    line.put("status", status);
    line.put("message", abbreviate(message));
    journal.reject(line.toString());
    LOG.warn("MLflow server {} refused a record of run {} ({}: {}); kept in {}", rest.uri(), runId, status,
        abbreviate(message), journal.rejectedFile());
  }

  /**
   * The parsed records from {@code acked} on. Kept between rounds and topped up from the journal only when fewer
   * than a window's worth are left, so that each journal line is read and parsed once, not once per request.
   */
  private List<BatchPlanner.Entry> pending(long acked) throws IOException {
    int done = 0;
    while (done < pending.size() && pending.get(done).end() <= acked) {
      done++;
    }
    pending.subList(0, done).clear();
    if (pending.isEmpty() || pendingEnd < acked) {
      pending.clear();
      pendingEnd = acked;
    }
    if (pending.size() <= window * BatchPlanner.MAX_ENTITIES && pendingEnd < journal.size()) {
      List<BatchPlanner.Entry> more = parse(journal.read(pendingEnd, READ_BYTES));
      if (!more.isEmpty()) {
        pending.addAll(more);
        pendingEnd = more.get(more.size() - 1).end();
      }
    }
    return pending;
  }

  private static List<BatchPlanner.Entry> parse(List<Journal.Line> lines) {
    List<BatchPlanner.Entry> entries = new ArrayList<>(lines.size());
    for (Journal.Line line : lines) {
      try {
        entries.add(new BatchPlanner.Entry(BatchPlanner.JSON.readTree(line.bytes()), line.end(),
            line.bytes().length));
      } catch (IOException e) {
        throw new UncheckedIOException("unreadable spool line ending at offset " + line.end(), e);
      }
    }
    return entries;
  }

  private void await(long millis) {
    synchronized (signal) {
      waiting = true;
      try {
        if (!stopping || journal.acked() < journal.size()) {
          signal.wait(Math.max(1, millis));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        waiting = false;
      }
    }
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    String oneLine = s.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 297) + "...";
  }
}
