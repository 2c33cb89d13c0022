package dev.tessera.runners.cli.console;

import dev.tessera.pipelines.exec.RunListener;
import dev.tessera.pipelines.exec.RunRecord;
import dev.tessera.pipelines.exec.StageRecord;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A live table of stages for a terminal, redrawn in place four times a second: status, a progress bar, elapsed
 * time and the stage's latest message. Stage log lines scroll above the table.
 */
public final class LiveTable implements RunListener {
  private static final String[] SPINNER = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
  private final PrintWriter out;
  private final Map<String, Row> rows = new LinkedHashMap<>();
  private final List<String> pendingLogs = new ArrayList<>();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "tessera-live-table");
    thread.setDaemon(true);
    return thread;
  });
  private int drawnLines;
  private int frame;

  public LiveTable(PrintWriter out) {
    this.out = out;
  }

  private static final class Row {
    StageRecord record = new StageRecord();
    long done;
    long total;
    String message = "";
  }

  @Override
  public synchronized void runStarted(RunRecord run) {
    out.println("run " + run.runId + " of " + run.experiment);
    run.stages.forEach((name, record) -> rows.computeIfAbsent(name, k -> new Row()).record = record);
    ticker.scheduleAtFixedRate(this::redraw, 0, 250, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stageChanged(String stage, StageRecord record) {
    rows.computeIfAbsent(stage, k -> new Row()).record = record;
  }

  @Override
  public synchronized void progress(String stage, long done, long total, String message) {
    Row row = rows.computeIfAbsent(stage, k -> new Row());
    row.done = done;
    row.total = total;
    row.message = message == null ? "" : message;
  }

  @Override
  public synchronized void log(String stage, String message) {
    pendingLogs.add(stage + ": " + message);
  }

  @Override
  public void runFinished(RunRecord run) {
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    redraw();
  }

  private synchronized void redraw() {
    StringBuilder frameText = new StringBuilder();
    if (drawnLines > 0) {
      frameText.append("\033[").append(drawnLines).append("A\033[J");
    }
    for (String log : pendingLogs) {
      frameText.append(log).append('\n');
    }
    pendingLogs.clear();
    int width = rows.keySet().stream().mapToInt(String::length).max().orElse(5);
    long now = System.currentTimeMillis();
    frame++;
    for (Map.Entry<String, Row> entry : rows.entrySet()) {
      Row row = entry.getValue();
      StageRecord record = row.record;
      String status = record.status.name().toLowerCase(Locale.ROOT);
      boolean active = switch (record.status) {
        case RUNNING, RETRYING -> true;
        default -> false;
      };
      String icon = switch (record.status) {
        case SUCCEEDED -> "\033[32m✔\033[0m";
        case CACHED -> "\033[36m↺\033[0m";
        case FAILED -> "\033[31m✘\033[0m";
        case SKIPPED, CANCELLED -> "\033[33m-\033[0m";
        case RUNNING, RETRYING -> SPINNER[frame % SPINNER.length];
        default -> " ";
      };
      double fraction = record.status.done() ? 1.0 : row.total > 0 ? Math.min(1.0, (double) row.done / row.total) : 0;
      long elapsed = record.startedAtMillis == null ? 0
          : (record.endedAtMillis == null ? now : record.endedAtMillis) - record.startedAtMillis;
      String note = record.status == dev.tessera.pipelines.exec.StageStatus.CACHED
          ? "from run " + record.reusedFromRun
          : record.error != null ? record.error : active ? row.message : summary(record);
      frameText.append(String.format(Locale.ROOT, "%s %-" + width + "s  %-9s %s %4s  %7s  %s",
          icon, entry.getKey(), status, bar(fraction, 20), Math.round(fraction * 100) + "%",
          record.startedAtMillis == null ? "" : Durations.format(elapsed), truncate(note, 70))).append('\n');
    }
    drawnLines = rows.size();
    out.print(frameText);
    out.flush();
  }

  private static String summary(StageRecord record) {
    if (record.summary.isEmpty()) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    record.summary.forEach((k, v) -> text.append(text.length() == 0 ? "" : " ").append(k).append('=')
        .append(Numbers.format(v)));
    return text.toString();
  }

  private static String bar(double fraction, int width) {
    int full = (int) Math.round(fraction * width);
    return "█".repeat(full) + "░".repeat(width - full);
  }

  private static String truncate(String text, int max) {
    String single = text.replace('\n', ' ');
    return single.length() <= max ? single : single.substring(0, max - 1) + "…";
  }
}
