package dev.tessera.runners.cli;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.ExecutorOptions;
import dev.tessera.pipelines.exec.RetryPolicy;
import dev.tessera.pipelines.exec.RunRecord;
import dev.tessera.pipelines.exec.RunResult;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tessera resume <run-id>}. */
@Command(name = "resume", mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
        "Continues a run that failed, was cancelled or died; or completes the model registration/promotion a "
            + "succeeded run left pending because its MLflow server was away.",
        "",
        "Stages that succeeded are reused (if their artifacts still verify); the others run, with the same "
            + "settings (--set overrides, --runner and its master) as the original run. A run of an experiment "
            + "file compiles the file again: edits since then count, and stages whose code changed run again."},
    footer = {"", "Example:", "  tessera resume 20261122-031500-4f2a9c"})
final class ResumeCommand implements Callable<Integer> {
  private final Workspace workspace;
  private final Experiments experiments;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN-ID", description = "The run to continue (see 'tessera runs').")
  String runId;

  @Option(names = "--plain", description = "Plain log lines even on a terminal.")
  boolean plain;

  @Mixin PublishOptions publish = new PublishOptions();

  @Inject
  ResumeCommand(Workspace workspace, Experiments experiments) {
    this.workspace = workspace;
    this.experiments = experiments;
  }

  @Override
  public Integer call() {
    RunRecord previous = workspace.runs().load(runId).orElseThrow(() -> new UsageException(
        "No run '" + runId + "' in " + workspace.home() + ". Recent runs: "
            + workspace.runs().list(null).stream().limit(5).map(r -> r.runId).toList()
            + ". Run 'tessera runs' to list them all."));
    if (previous.pid != 0 && previous.pid != ProcessHandle.current().pid()
        && previous.status == dev.tessera.pipelines.exec.RunOutcome.RUNNING
        && ProcessHandle.of(previous.pid).map(ProcessHandle::isAlive).orElse(false)) {
      throw new UsageException("Run " + runId + " is still running in process " + previous.pid
          + ". Stop it first, or wait for it to finish.");
    }
    java.util.Optional<PendingPublication> pending = PendingPublication.read(workspace.runs().directory(runId));
    if (pending.isPresent() && previous.status == dev.tessera.pipelines.exec.RunOutcome.SUCCEEDED) {
      PendingPublication left = pending.get();
      if ((publish.register || publish.promoteIf != null) && (publish.register != left.register()
          || !java.util.Objects.equals(publish.promoteIf, left.promoteIf()))) {
        throw new UsageException("Run " + runId + " has a pending " + left.describe() + " with the options it ran "
            + "with; resume it without --register/--promote-if to complete that: tessera resume " + runId);
      }
      String source = previous.experimentFile != null ? previous.experimentFile : previous.experiment;
      return RunPublication.complete(workspace, experiments.resolve(source, previous.overrides), previous, left,
          spec.commandLine().getOut());
    }
    if ((publish.register || publish.promoteIf != null)
        && previous.status == dev.tessera.pipelines.exec.RunOutcome.SUCCEEDED) {
      // Nothing to train: publish the model this run trained (registration is idempotent, a decided gate stays).
      String source = previous.experimentFile != null ? previous.experimentFile : previous.experiment;
      return RunPublication.publishAfterwards(workspace, experiments.resolve(source, previous.overrides), previous,
          publish.register, publish.promoteIf, spec.commandLine().getOut());
    }
    List<String> pipelineArgs = previous.pipelineArgs == null ? List.of() : previous.pipelineArgs;
    // The run's runner and master options as recorded; ./tessera reads them too, to set up the class path.
    BeamRunner.named(pipelineArgs).ifPresent(BeamRunner::requireOnClassPath);
    BeamRunner.requireReachable(pipelineArgs);
    String source = previous.experimentFile != null ? previous.experimentFile : previous.experiment;
    Experiment experiment = experiments.resolve(source, previous.overrides);
    ExecutorOptions options = ExecutorOptions.defaults()
        .withParallelism(Math.max(1, previous.parallelism))
        .withNoCache(previous.noCache)
        .withRetry(RetryPolicy.DEFAULT)
        .withPipelineArgs(pipelineArgs)
        .withRunTags(Tags.system(experiment.name()))
        .withExperimentFile(previous.experimentFile);
    RunPublication publication = RunPublication.of(workspace, experiment, publish.register, publish.promoteIf);
    return RunSession.execute(workspace, options, plain, spec.commandLine().getOut(), experiment, executor -> {
      RunResult result = executor.resume(previous, experiment);
      publication.publish(result, spec.commandLine().getOut());
      return result;
    });
  }
}
