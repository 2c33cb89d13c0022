package dev.tessera.runners.cli;

import picocli.CommandLine.Command;

/** The top-level {@code tessera} command. */
@Command(
    name = "tessera",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    description = {
        "Runs machine-learning experiments declared as DAGs of stages: Beam for data, DJL for training, "
            + "MLflow for tracking. Stages are cached by their spec, code and inputs; failed runs resume.",
        "",
        "Artifacts and runs live in $TESSERA_HOME (default: ./.tessera)."},
    subcommands = {
        ListCommand.class,
        RunCommand.class,
        ResumeCommand.class,
        DagCommand.class,
        RunsCommand.class,
        ExplainCacheCommand.class,
        MlflowCommand.class,
        PreviewCommand.class,
        NewCommand.class,
        CocoEvalCommand.class,
        PredictCommand.class,
        dev.tessera.runners.cli.schedule.ScheduleCommand.class,
        dev.tessera.runners.cli.schedule.SchedulerCommand.class,
        dev.tessera.runners.cli.datasets.DatasetsCommand.class,
        picocli.CommandLine.HelpCommand.class},
    footer = {
        "",
        "Examples:",
        "  tessera run mnist-lenet",
        "  tessera run mnist-lenet --set train.epochs=3",
        "  tessera run path/to/MyExperiment.java",
        "  tessera run --classpath target/my-experiments.jar my-experiment",
        "  tessera dag mnist-lenet --format mermaid",
        "  tessera explain-cache mnist-lenet",
        "  MLFLOW_TRACKING_URI=http://127.0.0.1:5000 tessera run mnist-lenet",
        "  tessera mlflow sync --from ./mlruns --to http://127.0.0.1:5000",
        "  tessera preview bccd-detector-data ingest",
        "  tessera schedule add mnist-lenet --cron \"0 2 * * *\" --zone Europe/Berlin   (then: tessera scheduler)",
        "",
        "Exit codes: 0 ok, 1 a stage failed, 2 usage error, 130 cancelled (Ctrl-C)."})
public final class TesseraCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  /** Read by {@code Main} before parsing (it picks the tracking module); declared here for help and parsing. */
  @picocli.CommandLine.Option(names = "--tracking-uri", paramLabel = "URI",
      scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "Where to track runs: an MLflow server (http(s)://host:port) or a file store path. "
          + "Default: $MLFLOW_TRACKING_URI, else ./mlruns.")
  String trackingUri;

  /** Read by {@code Main} before parsing (user code must be loaded first); declared here for help and parsing. */
  @picocli.CommandLine.Option(names = "--classpath", paramLabel = "PATHS",
      scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "Your experiment library: jars or class folders (separated by ':') whose experiments, models, "
          + "losses and metrics are registered in META-INF/services. Also read from $TESSERA_CLASSPATH.")
  java.util.List<String> classPath;

  /** Read by {@code Main} before parsing (the workspace is built from it); declared here for help and parsing. */
  @picocli.CommandLine.Option(names = ArtifactRootOption.OPTION, paramLabel = "URI",
      scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "Keep the artifacts in a bucket shared by every machine and worker, such as "
          + "s3://bucket/prefix (AWS_ENDPOINT_URL for an S3-compatible server). Default: $TESSERA_ARTIFACT_ROOT.")
  String artifactRoot;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
