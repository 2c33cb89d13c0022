package dev.tessera.runners.cli;

import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.artifact.Verification;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.dag.StageNode;
import dev.tessera.pipelines.exec.CacheExplainer;
import dev.tessera.pipelines.exec.CacheExplanation;
import dev.tessera.pipelines.exec.RunRecord;
import dev.tessera.pipelines.exec.StageRecord;
import dev.tessera.stages.preview.SampleGrid;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tessera preview <experiment> <stage>}. */
@Command(name = "preview", mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {"Draws the first samples of a data stage's latest artifact, with their boxes, as a PNG grid.",
        "",
        "Runs nothing: takes the artifact the cache would serve for the stage (as explain-cache finds it), or else "
            + "the one the experiment's last run produced, and prints the PNG's path."},
    footer = {"", "Examples:", "  tessera preview bccd-detector-data ingest",
        "  tessera preview bccd-detector-data augment --count 8 --output cells.png"})
final class PreviewCommand implements Callable<Integer> {
  private final Workspace workspace;
  private final Experiments experiments;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "Experiment name (see 'tessera list').")
  String experimentName;

  @Parameters(index = "1", paramLabel = "STAGE", description = "A stage that writes a dataset, such as ingest.")
  String stageName;

  @Option(names = "--set", paramLabel = "PATH=VALUE", description = "Overrides, as for 'run'.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--count", defaultValue = "16", paramLabel = "N",
      description = "How many samples to draw (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--output", paramLabel = "FILE",
      description = "Where to write the PNG (default: $TESSERA_HOME/previews/<experiment>-<stage>.png).")
  Path output;

  @Inject
  PreviewCommand(Workspace workspace, Experiments experiments) {
    this.workspace = workspace;
    this.experiments = experiments;
  }

  @Override
  public Integer call() throws IOException {
    if (count < 1) {
      throw new UsageException("--count must be >= 1, but was " + count + ".");
    }
    Experiment experiment = experiments.resolve(experimentName, overrides);
    StageNode node = experiment.stages().stream().filter(s -> s.name().equals(stageName)).findFirst()
        .orElseThrow(() -> new UsageException("Experiment '" + experiment.name() + "' has no stage '" + stageName
            + "'. Its stages: " + experiment.stages().stream().map(StageNode::name).toList() + "."));
    if (!node.stage().output().equals(ArtifactKind.DATASET)) {
      throw new UsageException("Stage '" + stageName + "' writes a " + node.stage().output()
          + ", not a dataset; preview draws dataset stages only.");
    }
    Artifact artifact = latestArtifact(experiment).orElseThrow(() -> new UsageException("Stage '" + stageName
        + "' of '" + experiment.name() + "' has no artifact in " + workspace.home() + " yet. Run it first: "
        + "tessera run " + experiment.name()));
    Path png = output != null ? output
        : workspace.home().resolve("previews").resolve(experiment.name() + "-" + stageName + ".png");
    Path written = SampleGrid.writeDatasetPreview(artifact.directory(), png, count);
    PrintWriter out = spec.commandLine().getOut();
    out.println(written);
    out.flush();
    return Main.OK;
  }

  /** What the cache would serve now, else what the last run of the experiment produced for the stage. */
  private Optional<Artifact> latestArtifact(Experiment experiment) {
    RunRecord last = workspace.runs().latest(experiment.name()).orElse(null);
    for (CacheExplanation explanation : new CacheExplainer(workspace.store()).explain(experiment, last)) {
      if (explanation.stage().equals(stageName) && explanation.hit()) {
        return workspace.store().verify(explanation.key()).artifact();
      }
    }
    for (RunRecord run : workspace.runs().list(experiment.name())) {
      StageRecord record = run.stages.get(stageName);
      if (record != null && record.cacheKey != null) {
        Verification verification = workspace.store().verify(record.cacheKey);
        if (verification.usable()) {
          return verification.artifact();
        }
      }
    }
    return Optional.empty();
  }
}
