package dev.tessera.runners.cli;

import dev.tessera.pipelines.tracking.server.Credentials;
import dev.tessera.pipelines.tracking.server.FileStoreSync;
import dev.tessera.pipelines.tracking.server.ServerSettings;
import dev.tessera.pipelines.tracking.server.ServerTracker;
import dev.tessera.pipelines.tracking.server.SpoolFlush;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tessera mlflow flush|sync|model}: moving tracked runs to an MLflow server; resolving registered models. */
@Command(name = "mlflow", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
    description = "Sends spooled records to MLflow servers, copies ./mlruns runs to a server, or resolves a "
        + "registered model version.",
    subcommands = {MlflowCommand.Flush.class, MlflowCommand.Sync.class, MlflowModelCommand.class})
final class MlflowCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code tessera mlflow flush}. */
  @Command(name = "flush", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
      description = {"Sends what runs left in $TESSERA_HOME/spool to their MLflow servers (after a crash, or when "
          + "a run ended while its server was away). Nothing acknowledged before is sent again. Also lists the runs "
          + "whose model registration/promotion is pending ('tessera resume <run-id>' completes it)."},
      footer = {"", "Example:", "  tessera mlflow flush"})
  static final class Flush implements Callable<Integer> {
    private final Path home;
    private final Map<String, String> environment;
    @Spec CommandSpec spec;

    @Option(names = "--timeout", defaultValue = "PT2M", paramLabel = "DURATION",
        description = "Longest wait per run, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Inject
    Flush(@Named("tessera.home") Path home, @Named("environment") Map<String, String> environment) {
      this.home = home;
      this.environment = environment;
    }

    @Override
    public Integer call() {
      ServerSettings settings = ServerSettings.of(URI.create("http://127.0.0.1"), credentials(environment),
          home.resolve("spool"));
      List<SpoolFlush.Result> results = SpoolFlush.flushAll(settings, timeout);
      PrintWriter out = spec.commandLine().getOut();
      if (results.isEmpty()) {
        out.println("Nothing to flush in " + settings.spoolDirectory() + ".");
      }
      boolean complete = true;
      for (SpoolFlush.Result r : results) {
        out.println(r.runId() + "  " + r.outcome().name().toLowerCase() + "  sent " + r.sent() + " record(s) to "
            + r.uri() + (r.rejected() > 0 ? ", " + r.rejected() + " refused (see the .rejected.jsonl file)" : "")
            + (r.problem() != null ? "  (" + r.problem() + ")" : "")
            + (r.endedAsKilled() ? "; the process that logged it had died, so the run is marked KILLED "
                + "('tessera resume' of the Tessera run sets it back to RUNNING)" : ""));
        complete &= r.outcome() == SpoolFlush.Outcome.FLUSHED;
      }
      for (String runId : PendingPublication.runsWithPending(home.resolve("runs"))) {
        PendingPublication pending = PendingPublication.read(home.resolve("runs").resolve(runId)).orElseThrow();
        out.println("Run " + runId + ": the " + pending.describe() + " of its model is pending; complete it with: "
            + "tessera resume " + runId);
      }
      out.flush();
      return complete ? Main.OK : Main.STAGE_FAILED;
    }
  }

  /** {@code tessera mlflow sync}. */
  @Command(name = "sync", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
      description = {"Copies the finished runs of an MLflow file store (./mlruns) to an MLflow server, with "
          + "params, metric histories, tags, artifacts and nesting. Idempotent: runs copied before are skipped."},
      footer = {"", "Example:", "  tessera mlflow sync --from ./mlruns --to http://127.0.0.1:5000"})
  static final class Sync implements Callable<Integer> {
    private final Path home;
    private final Map<String, String> environment;
    @Spec CommandSpec spec;

    @Option(names = "--from", defaultValue = "mlruns", paramLabel = "DIR",
        description = "The file store (default: ${DEFAULT-VALUE}).")
    Path from;

    @Option(names = "--to", paramLabel = "URI",
        description = "The MLflow server, http(s)://host:port (default: $MLFLOW_TRACKING_URI).")
    String to;

    @Inject
    Sync(@Named("tessera.home") Path home, @Named("environment") Map<String, String> environment) {
      this.home = home;
      this.environment = environment;
    }

    @Override
    public Integer call() {
      String target = to != null ? to : environment.getOrDefault(Tracking.VARIABLE, "");
      if (!target.startsWith("http://") && !target.startsWith("https://")) {
        throw new UsageException("--to must be an MLflow server URI (http(s)://host:port), but was '" + target
            + "'; pass --to or set " + Tracking.VARIABLE + ".");
      }
      ServerSettings settings;
      try {
        settings = ServerSettings.of(URI.create(target), credentials(environment), home.resolve("spool"));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--to: " + e.getMessage());
      }
      FileStoreSync.Report report;
      try (ServerTracker tracker = ServerTracker.connect(settings)) {
        report = FileStoreSync.sync(from, tracker);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println("Synced " + report.synced().size() + " run(s) from " + from.toAbsolutePath().normalize() + " to "
          + settings.uri() + "; " + report.skipped().size() + " already there"
          + (report.running().isEmpty() ? "" : "; " + report.running().size() + " still running, skipped") + ".");
      out.flush();
      return Main.OK;
    }
  }

  private static Credentials credentials(Map<String, String> environment) {
    try {
      return Credentials.fromEnvironment(environment);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
