package dev.tessera.runners.cli;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.CacheExplainer;
import dev.tessera.pipelines.exec.CacheExplanation;
import dev.tessera.pipelines.exec.CacheKeyParts;
import dev.tessera.pipelines.exec.RunRecord;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tessera explain-cache <experiment>}. */
@Command(name = "explain-cache", mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {"Explains which stages 'run' would take from the cache, and why the others would run.",
        "",
        "Runs nothing. Prints each stage's cache key and its parts (stage kind, spec, code fingerprint, input "
            + "digests, environment), and what changed since the experiment's last run."},
    footer = {"", "Examples:", "  tessera explain-cache mnist-lenet",
        "  tessera explain-cache mnist-lenet --set train.epochs=3"})
final class ExplainCacheCommand implements Callable<Integer> {
  private final Workspace workspace;
  private final Experiments experiments;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "Experiment name (see 'tessera list').")
  String experimentName;

  @Option(names = "--set", paramLabel = "PATH=VALUE", description = "Overrides, as for 'run'.")
  List<String> overrides = new ArrayList<>();

  @Inject
  ExplainCacheCommand(Workspace workspace, Experiments experiments) {
    this.workspace = workspace;
    this.experiments = experiments;
  }

  @Override
  public Integer call() {
    Experiment experiment = experiments.resolve(experimentName, overrides);
    RunRecord last = workspace.runs().latest(experiment.name()).orElse(null);
    PrintWriter out = spec.commandLine().getOut();
    out.println("Cache for " + experiment.name() + " in " + workspace.home()
        + (last == null ? " (no earlier run to compare with)" : ", compared with run " + last.runId));
    for (CacheExplanation explanation : new CacheExplainer(workspace.store()).explain(experiment, last)) {
      out.println();
      out.println((explanation.hit() ? "HIT  " : "RUN  ") + explanation.stage() + ": " + explanation.reason());
      CacheKeyParts parts = explanation.parts();
      if (parts != null) {
        out.println("     key            " + explanation.key());
        out.println("     kind           " + parts.stageKind());
        out.println("     spec           " + parts.spec());
        out.println("     implementation " + CacheExplainer.shortHash(parts.implementation()));
        parts.inputs().forEach((stage, digest) ->
            out.println("     input          " + stage + " = " + CacheExplainer.shortHash(digest)));
        parts.environment().forEach((k, v) -> out.println("     environment    " + k + " = " + v));
      }
      if (last != null) {
        if (explanation.changes().isEmpty()) {
          out.println("     since last run: no change");
        } else {
          explanation.changes().forEach(change -> out.println("     since last run: " + change));
        }
      }
    }
    out.flush();
    return Main.OK;
  }
}
