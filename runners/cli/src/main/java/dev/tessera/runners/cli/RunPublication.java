package dev.tessera.runners.cli;

import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.dag.StageNode;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.exec.RunStore;
import dev.tessera.pipelines.exec.StageRecord;
import dev.tessera.pipelines.exec.StageStatus;
import dev.tessera.pipelines.tracking.inputs.DatasetInput;
import dev.tessera.pipelines.tracking.inputs.ShardDatasets;
import dev.tessera.pipelines.tracking.registry.GateDecision;
import dev.tessera.pipelines.tracking.registry.GateSpec;
import dev.tessera.pipelines.tracking.registry.ModelReference;
import dev.tessera.pipelines.tracking.registry.ModelRegistry;
import dev.tessera.pipelines.tracking.registry.ModelResolver;
import dev.tessera.pipelines.tracking.registry.ModelVersion;
import dev.tessera.pipelines.tracking.registry.PromotionGate;
import dev.tessera.runners.cli.schedule.GateOutcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What a run publishes to MLflow after its stages: the datasets its data stages read, as dataset inputs (one per
 * split), and with {@code --register} or {@code --promote-if} its trained model as a new version of the registered
 * model named after the experiment, judged by the champion/challenger gate: the gate's stage measures the current
 * champion again on this run's data ({@link ChampionEvaluation}), so both models are compared on the same data.
 */
public final class RunPublication {
  private final Workspace workspace;
  private final Experiment experiment;
  private final PromotionGate gate;
  private final String modelStage;

  private RunPublication(Workspace workspace, Experiment experiment, PromotionGate gate, String modelStage) {
    this.workspace = workspace;
    this.experiment = experiment;
    this.gate = gate;
    this.modelStage = modelStage;
  }

  /**
   * Checks the options against the experiment before anything runs.
   *
   * @param register {@code --register}
   * @param promoteIf {@code --promote-if} text, or null
   * @throws UsageException when the experiment trains no model, or the gate names a stage it does not have
   */
  static RunPublication of(Workspace workspace, Experiment experiment, boolean register, String promoteIf) {
    PromotionGate gate = promoteIf == null ? null : new PromotionGate(check(experiment, register, promoteIf));
    String modelStage = register || gate != null ? modelStage(experiment, gate != null) : null;
    return new RunPublication(workspace, experiment, gate, modelStage);
  }

  /**
   * Checks {@code --register} and {@code --promote-if} against an experiment (also for schedules, at
   * {@code schedule add}); returns the parsed gate, or null without one.
   *
   * @throws UsageException naming the option, the value and what the experiment has
   */
  public static GateSpec check(Experiment experiment, boolean register, String promoteIf) {
    GateSpec gate = null;
    if (promoteIf != null) {
      try {
        gate = GateSpec.parse(promoteIf);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--promote-if: " + e.getMessage());
      }
      String stage = stageOf(gate.metric());
      if (experiment.stages().stream().noneMatch(n -> n.name().equals(stage))) {
        throw new UsageException("--promote-if " + promoteIf + ": experiment '" + experiment.name()
            + "' has no stage '" + stage + "'. Stages: " + experiment.stages().stream().map(StageNode::name)
            .toList() + ". Example: --promote-if evaluate/accuracy:max:0.001.");
      }
    }
    if (register || gate != null) {
      modelStage(experiment, gate != null);
    }
    return gate;
  }

  /** The last stage that trains a model. */
  private static String modelStage(Experiment experiment, boolean gated) {
    List<String> models = experiment.stages().stream().filter(n -> n.stage().output().equals(ArtifactKind.MODEL))
        .map(StageNode::name).toList();
    if (models.isEmpty()) {
      throw new UsageException((gated ? "--promote-if" : "--register") + ": experiment '" + experiment.name()
          + "' has no stage that trains a model, so there is nothing to register.");
    }
    return models.get(models.size() - 1);
  }

  /** Logs the run's dataset inputs and, if asked and the run succeeded, registers and judges its model. */
  void publish(RunResult result, PrintWriter out) {
    String trackedRunId = result.run().trackedRunId;
    if (trackedRunId == null) {
      return;
    }
    List<DatasetInput> inputs = datasetInputs(result);
    if (!inputs.isEmpty()) {
      workspace.inputs().log(trackedRunId, inputs);
    }
    if (modelStage == null || result.status() != RunOutcome.SUCCEEDED) {
      return;
    }
    String model = experiment.name();
    String artifactPath = modelStage + "/model";
    StageRecord trained = result.run().stages.get(modelStage);
    if (trained.status == StageStatus.CACHED) {
      // The same model as run trained.reusedFromRun's, which registered it then: a second version would be a copy.
      out.println("Not registered: stage '" + modelStage + "' was served from the cache of run "
          + trained.reusedFromRun + ", so the model is the one that run trained (use --no-cache to train anew).");
      return;
    }
    if (gate == null) {
      ModelVersion version = workspace.registry().register(model, trackedRunId, artifactPath, Map.of());
      out.println("Registered " + model + " version " + version.version() + " (" + artifactPath + " of MLflow run "
          + trackedRunId + ").");
      return;
    }
    String metric = gate.spec().metric();
    String stage = stageOf(metric);
    Double value = result.summary(stage, metric.substring(stage.length() + 1));
    if (value == null) {
      throw new IllegalStateException("--promote-if " + gate.spec() + ": stage '" + stage + "' reported no '"
          + metric.substring(stage.length() + 1) + "'; it reported " + result.run().stages.get(stage).summary
          .keySet() + ". The model was not registered; pick one of those metrics.");
    }
    OptionalDouble championNow = championOnThisData(result, stage, metric.substring(stage.length() + 1));
    GateDecision decision = gate.registerAndDecide(workspace.registry(), model, trackedRunId, artifactPath, value,
        championNow);
    GateOutcome.write(new RunStore(workspace.home()).directory(result.runId()), model, decision);
    out.println("Registered " + model + " version " + decision.challengerVersion() + " as challenger; "
        + decision.describe() + ".");
  }

  /** The champion's value of the gate's metric, measured again by the metric's stage on this run's data. */
  private OptionalDouble championOnThisData(RunResult result, String stage, String key) {
    String model = experiment.name();
    if (workspace.registry().byAlias(model, ModelRegistry.CHAMPION).isEmpty()) {
      return OptionalDouble.empty();
    }
    Path directory = new ModelResolver(workspace.registry(), workspace.home().resolve("models"))
        .resolve(new ModelReference(model, ModelRegistry.CHAMPION, OptionalLong.empty())).directory();
    StageNode node = experiment.stages().stream().filter(n -> n.name().equals(stage)).findFirst().orElseThrow();
    return ChampionEvaluation.measure(experiment, node, result, directory, key, workspace.home().resolve("tmp"));
  }

  /** One input per split of every dataset a data stage read from outside (a folder or the catalog). */
  private List<DatasetInput> datasetInputs(RunResult result) {
    List<DatasetInput> inputs = new ArrayList<>();
    for (StageNode node : experiment.stages()) {
      Artifact artifact = result.artifacts().get(node.name());
      List<String> external = node.stage().externalData();
      if (artifact == null || external.isEmpty()
          || !Files.isRegularFile(artifact.directory().resolve(DatasetManifest.FILE_NAME))) {
        continue;
      }
      try {
        DatasetManifest manifest = DatasetManifest.read(artifact.directory());
        external.forEach(data -> inputs.addAll(ShardDatasets.inputs(manifest, data)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the dataset manifest of stage '" + node.name() + "' in "
            + artifact.directory(), e);
      }
    }
    return inputs;
  }

  private static String stageOf(String metric) {
    return metric.substring(0, metric.indexOf('/'));
  }
}
