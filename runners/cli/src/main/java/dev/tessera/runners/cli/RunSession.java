package dev.tessera.runners.cli;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.Executor;
import dev.tessera.pipelines.exec.ExecutorOptions;
import dev.tessera.pipelines.exec.RunListener;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunRecord;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.exec.StageRecord;
import dev.tessera.runners.cli.console.Durations;
import dev.tessera.runners.cli.console.LiveTable;
import dev.tessera.runners.cli.console.Numbers;
import dev.tessera.runners.cli.console.PlainLog;
import dev.tessera.runners.cli.console.TextTable;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Runs or resumes one run with the console listener, Ctrl-C handling and the closing summary. */
final class RunSession {
  private RunSession() {}

  /**
   * Executes and prints the summary; returns the exit code.
   *
   * @param action starts or resumes the run on the given executor
   */
  static int execute(Workspace workspace, ExecutorOptions options, boolean plain, PrintWriter out,
      Experiment experiment, Function<Executor, RunResult> action) {
    RunListener listener = plain || System.console() == null ? new PlainLog(out) : new LiveTable(out);
    Executor executor = new Executor(workspace.store(), workspace.runs(), workspace.tracker(), options, listener);
    CountDownLatch summarized = new CountDownLatch(1);
    Thread onCtrlC = new Thread(() -> {
      executor.cancel();
      try {
        // Keep the JVM alive until the run state is persisted and the summary printed.
        executor.awaitFinished(30, TimeUnit.SECONDS);
        summarized.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "tessera-cancel");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    RunResult result;
    try {
      result = action.apply(executor);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onCtrlC);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C arrived: the hook is running and waits for this run to persist its state.
      }
    }
    printSummary(result, experiment, workspace, out);
    summarized.countDown();
    return switch (result.status()) {
      case SUCCEEDED -> Main.OK;
      case CANCELLED -> Main.CANCELLED;
      default -> Main.STAGE_FAILED;
    };
  }

  static void printSummary(RunResult result, Experiment experiment, Workspace workspace, PrintWriter out) {
    RunRecord run = result.run();
    out.println();
    out.println("Run " + run.runId + " of " + run.experiment + ": "
        + run.status.name().toLowerCase(Locale.ROOT) + " in " + Durations.format(run.durationMillis()));
    TextTable table = new TextTable("STAGE", "STATUS", "TIME", "ITEMS", "RESULT");
    run.stages.forEach((name, record) -> table.row(name, record.status.name().toLowerCase(Locale.ROOT),
        Durations.format(record.durationMillis()), Long.toString(record.itemCount), result(record)));
    for (String line : table.render().split("\n")) {
      out.println("  " + line);
    }
    // Each stage's headline figure, as the stage declares it (such as the test accuracy of an evaluate stage).
    experiment.stages().forEach(node -> node.stage().headline().ifPresent(headline -> {
      StageRecord record = run.stages.get(node.name());
      Double value = record == null ? null : record.summary.get(headline.metric());
      if (value != null && record.status.done()) {
        out.println();
        out.printf(Locale.ROOT, "%s (stage %s, %d samples)%n", headline.format(value), node.name(),
            record.itemCount);
      }
    }));
    if (run.status == RunOutcome.FAILED || run.status == RunOutcome.CANCELLED) {
      out.println();
      out.println("Stage logs: " + result.runDirectory().resolve("logs"));
      out.println("Continue this run with: ./tessera resume " + run.runId);
    }
    out.println();
    out.println("Run state:  " + result.runDirectory().resolve("run.json"));
    out.println("MLflow run: " + run.trackedRunId + " in " + workspace.tracker().location());
    String location = workspace.tracker().location();
    if (location.startsWith("http://") || location.startsWith("https://")) {
      out.println("Open it:    " + location + "/#/experiments (run " + run.trackedRunId + ")");
    } else {
      out.println("Open it:    MLFLOW_ALLOW_FILE_STORE=true mlflow ui --backend-store-uri " + location
          + "   (then http://127.0.0.1:5000)");
    }
    out.flush();
  }

  private static String result(StageRecord record) {
    return switch (record.status) {
      case CACHED -> "cached from run " + record.reusedFromRun + summary(record);
      case FAILED, SKIPPED, CANCELLED -> record.error == null ? "" : record.error;
      default -> summary(record).strip();
    };
  }

  private static String summary(StageRecord record) {
    StringBuilder text = new StringBuilder();
    record.summary.forEach((k, v) -> text.append(' ').append(k).append('=').append(Numbers.format(v)));
    return text.toString();
  }
}
