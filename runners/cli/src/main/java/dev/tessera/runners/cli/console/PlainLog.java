package dev.tessera.runners.cli.console;

import dev.tessera.pipelines.exec.RunListener;
import dev.tessera.pipelines.exec.RunRecord;
import dev.tessera.pipelines.exec.StageRecord;
import dev.tessera.pipelines.exec.StageStatus;
import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plain log lines for output that is not a terminal (CI logs, files): one line per stage transition, progress every
 * 10% or every 15 seconds, and every stage log line.
 */
public final class PlainLog implements RunListener {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
  private final PrintWriter out;
  private final Map<String, long[]> lastProgress = new ConcurrentHashMap<>();

  public PlainLog(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void runStarted(RunRecord run) {
    line("run " + run.runId + " of " + run.experiment + " started (" + run.stages.size() + " stages)");
  }

  @Override
  public void stageChanged(String stage, StageRecord record) {
    if (record.status == StageStatus.PENDING) {
      return;
    }
    String detail = switch (record.status) {
      case CACHED -> " (artifact from run " + record.reusedFromRun + ")";
      case RUNNING -> record.attempts > 1 ? " (attempt " + record.attempts + ")"
          : record.cacheMiss == null ? "" : " (not cached: " + record.cacheMiss + ")";
      case SUCCEEDED -> " in " + Durations.format(record.durationMillis()) + ", " + record.itemCount + " items"
          + summary(record);
      case FAILED, RETRYING, SKIPPED -> ": " + record.error;
      default -> "";
    };
    line(stage + " " + record.status.name().toLowerCase(java.util.Locale.ROOT) + detail);
  }

  @Override
  public void progress(String stage, long done, long total, String message) {
    long now = System.currentTimeMillis();
    long[] last = lastProgress.computeIfAbsent(stage, k -> new long[] {-1, 0});
    long decile = total > 0 ? done * 10 / total : -1;
    synchronized (last) {
      boolean newDecile = total > 0 && decile != last[0] && (now - last[1] >= 2_000 || done == total);
      if (newDecile || now - last[1] >= 15_000) {
        last[0] = decile;
        last[1] = now;
        String amount = total > 0 ? done + "/" + total + " (" + (done * 100 / total) + "%)" : Long.toString(done);
        line(stage + " " + amount + (message == null || message.isEmpty() ? "" : " " + message));
      }
    }
  }

  @Override
  public void log(String stage, String message) {
    line(stage + ": " + message);
  }

  @Override
  public void runFinished(RunRecord run) {
    long failed = run.stages.values().stream().filter(r -> r.status == StageStatus.FAILED).count();
    line("run " + run.runId + " " + run.status.name().toLowerCase(java.util.Locale.ROOT) + " in "
        + Durations.format(run.durationMillis()) + (failed > 0 ? " (" + failed + " stage(s) failed)" : ""));
  }

  private static String summary(StageRecord record) {
    StringBuilder text = new StringBuilder();
    record.summary.forEach((k, v) -> text.append(' ').append(k).append('=').append(Numbers.format(v)));
    return text.toString();
  }

  private synchronized void line(String text) {
    out.println(LocalTime.now().format(TIME) + " " + text);
    out.flush();
  }
}
