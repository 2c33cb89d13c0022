package dev.tessera.runners.cli;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.ExecutorOptions;
import dev.tessera.pipelines.exec.RetryPolicy;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.spec.Specs;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tessera run <experiment>}. */
@Command(name = "run", mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
        "Runs an experiment.",
        "",
        "Every stage runs in dependency order, independent stages in parallel. A stage whose spec, code and "
            + "inputs are unchanged is served from the cache (see explain-cache). Shows a live stage table on a "
            + "terminal and plain log lines otherwise."},
    footer = {"", "Examples:", "  tessera run demo", "  tessera run mnist-lenet --set train.epochs=1 --set seed=7",
        "  tessera run path/to/MyExperiment.java",
        "  tessera run --classpath target/my-experiments.jar my-experiment",
        "  tessera run mnist-lenet --no-cache --parallelism 1",
        "  tessera run mnist-lenet --promote-if evaluate/accuracy:max:0.001",
        "  tessera run mnist-lenet --runner=FlinkRunner --flinkMaster=[local]",
        "  tessera run mnist-lenet --runner=SparkRunner --sparkMaster=local[2]"})
final class RunCommand implements Callable<Integer> {
  private static final String FAIL_ON_BAD_INPUT = "failOnBadInput";

  private final Workspace workspace;
  private final Experiments experiments;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "EXPERIMENT",
      description = "A registered experiment's name (see 'tessera list'), or the path of an experiment file "
          + "(MyExperiment.java: one class implementing ExperimentDefinition, compiled on first use).")
  String experimentName;

  @Option(names = "--set", paramLabel = "PATH=VALUE",
      description = "Override a setting, for example train.epochs=3 or seed=7. Repeatable. "
          + "An unknown path fails and lists the valid ones.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--parallelism", defaultValue = "2", paramLabel = "N",
      description = "How many independent stages may run at once (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--no-cache", description = "Run every stage even if a cached artifact exists.")
  boolean noCache;

  @Option(names = "--retries", defaultValue = "2", paramLabel = "N",
      description = "Retries for failures a stage marks retryable, with exponential backoff from 1 s "
          + "(default: ${DEFAULT-VALUE}).")
  int retries;

  @Option(names = "--runner", defaultValue = "DirectRunner", paramLabel = "RUNNER",
      description = "Beam runner for the data stages: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). "
          + "Flink and Spark run embedded in this process unless given a cluster address.")
  BeamRunner runner;

  @Option(names = "--flinkMaster", paramLabel = "ADDRESS",
      description = "With --runner=FlinkRunner: [local] for an embedded Flink cluster (the default), [auto], or "
          + "a JobManager's host:port.")
  String flinkMaster;

  @Option(names = "--flinkParallelism", paramLabel = "N",
      description = "With --runner=FlinkRunner: the parallelism of each stage's Flink job (default: one per core "
          + "with [local]; with a JobManager address, the cluster's free task slots when the job is made).")
  Integer flinkParallelism;

  @Option(names = "--sparkMaster", paramLabel = "URL",
      description = "With --runner=SparkRunner: local[N] for N worker threads in this process (default: "
          + "local[*], one per core), or a cluster URL such as spark://host:7077.")
  String sparkMaster;

  @Option(names = "--fail-on-bad-input",
      description = "Fail every stage that has a failOnBadInput setting (the ingest stages) on its first bad input "
          + "(corrupt image, bad annotation or box) instead of writing it to the stage's dead_letter.jsonl; the "
          + "same as --set <stage>.failOnBadInput=true.")
  boolean failOnBadInput;

  @Option(names = "--plain", description = "Plain log lines even on a terminal.")
  boolean plain;

  @Mixin PublishOptions publish = new PublishOptions();

  @Inject
  RunCommand(Workspace workspace, Experiments experiments) {
    this.workspace = workspace;
    this.experiments = experiments;
  }

  @Override
  public Integer call() {
    if (parallelism < 1) {
      throw new UsageException("--parallelism must be >= 1, but was " + parallelism + ".");
    }
    if (retries < 0) {
      throw new UsageException("--retries must be >= 0, but was " + retries + ".");
    }
    List<String> pipelineArgs = new ArrayList<>(runner.pipelineArgs(flinkMaster, sparkMaster, flinkParallelism));
    pipelineArgs.addAll(workspace.storageArgs());
    runner.requireOnClassPath();
    BeamRunner.requireReachable(pipelineArgs);
    Experiments.Loaded loaded = experiments.load(experimentName);
    List<String> all = new ArrayList<>(overrides);
    if (failOnBadInput) {
      // Every stage whose spec has the setting (the ingest stages), whatever its kind.
      Experiments.resolve(loaded, overrides).stages().stream()
          .filter(node -> Specs.flatten("", node.stage().spec()).containsKey(FAIL_ON_BAD_INPUT))
          .forEach(node -> all.add(node.name() + "." + FAIL_ON_BAD_INPUT + "=true"));
    }
    Experiment experiment = Experiments.resolve(loaded, all);
    ExecutorOptions options = ExecutorOptions.defaults()
        .withParallelism(parallelism)
        .withNoCache(noCache)
        .withRetry(new RetryPolicy(retries + 1, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30)))
        .withPipelineArgs(pipelineArgs)
        .withRunTags(Tags.system(experiment.name()))
        .withExperimentFile(loaded.fileSource());
    RunPublication publication = RunPublication.of(workspace, experiment, publish.register,
        publish.promoteIf);
    return RunSession.execute(workspace, options, plain, spec.commandLine().getOut(), experiment, executor -> {
      RunResult result = executor.run(experiment, all);
      publication.publish(result, spec.commandLine().getOut());
      return result;
    });
  }
}
