package dev.tessera.runners.cli;

import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.dag.StageNode;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunRecord;
import dev.tessera.pipelines.exec.RunResult;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;

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

  /**
   * Runs in {@link #publish} once the stages are done and the dataset inputs logged, just before the model is
   * registered; tests replace it to take the MLflow server away at that moment.
   */
  static volatile Runnable beforeRegistering = () -> {};

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

  /**
   * Logs the run's dataset inputs and, if asked and the run succeeded, registers and judges its model. When the
   * MLflow server is away at that moment ({@link PendingPublication#serverAway}), the run still succeeded: the
   * publication is left pending in the run's directory for {@code tessera resume <run-id>} to complete.
   */
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
    PendingPublication pending = publicationOf(result, trackedRunId, out);
    if (pending == null) {
      return;
    }
    beforeRegistering.run();
    finish(result, pending, out);
  }

  /**
   * Registers (and with a gate, judges) the model of {@code pending}; when the server is away, leaves the
   * publication pending in the run's directory, says how to complete it and returns false.
   */
  private boolean finish(RunResult result, PendingPublication pending, PrintWriter out) {
    PendingPublication known = pending;
    try {
      if (gate == null) {
        ModelVersion version = workspace.registry().register(pending.model(), pending.trackedRunId(),
            pending.artifactPath(), Map.of());
        out.println("Registered " + pending.model() + " version " + version.version() + " ("
            + pending.artifactPath() + " of MLflow run " + pending.trackedRunId() + ").");
        return true;
      }
      ModelVersion challenger = workspace.registry().register(pending.model(), pending.trackedRunId(),
          pending.artifactPath(), Map.of(PromotionGate.VALUE_TAG_PREFIX + gate.spec().metric(),
              Double.toString(pending.challengerValue())));
      Optional<GateOutcome> decided = decidedBefore(result, pending.model(), challenger);
      if (decided.isPresent()) {
        out.println("Registered " + pending.model() + " version " + challenger.version() + " as challenger; the "
            + "gate had decided already: " + decided.get().tag("decision") + " (" + decided.get().tag("reason")
            + ").");
        return true;
      }
      Optional<ModelVersion> champion = workspace.registry().byAlias(pending.model(), ModelRegistry.CHAMPION);
      OptionalDouble championNow;
      if (champion.isPresent() && pending.championVersion() != null
          && pending.championVersion() == champion.get().version() && pending.championValue() != null) {
        championNow = OptionalDouble.of(pending.championValue());
      } else {
        championNow = champion.isEmpty() ? OptionalDouble.empty() : championOnThisData(result);
        if (championNow.isPresent()) {
          known = known.withChampion(champion.get().version(), championNow.getAsDouble());
        }
      }
      GateDecision decision = gate.decide(workspace.registry(), pending.model(), challenger,
          pending.challengerValue(), championNow);
      GateOutcome.write(result.runDirectory(), pending.model(), decision);
      out.println("Registered " + pending.model() + " version " + decision.challengerVersion() + " as challenger; "
          + decision.describe() + ".");
      return true;
    } catch (RuntimeException e) {
      if (!PendingPublication.serverAway(e)) {
        throw e;
      }
      known.because(e.getMessage()).write(result.runDirectory());
      out.println("Run " + result.runId() + " succeeded, but the " + known.describe() + " of its model is pending: "
          + e.getMessage() + " Complete it once the server is back: tessera resume " + result.runId());
      return false;
    }
  }

  /**
   * The gate's decision on {@code challenger} if an earlier attempt made it: left in the run's directory, tagged
   * on the version, or (when the server went away between moving the alias and tagging) visible as the champion
   * alias already on the challenger. Never decides again, so a model is never promoted twice.
   */
  private Optional<GateOutcome> decidedBefore(RunResult result, String model, ModelVersion challenger) {
    Optional<GateOutcome> written = GateOutcome.read(result.runDirectory());
    if (written.isPresent()) {
      return written;
    }
    Map<String, String> tags = new TreeMap<>();
    challenger.tags().forEach((k, v) -> {
      if (k.startsWith(GateDecision.TAG_PREFIX)) {
        tags.put(k, v);
      }
    });
    if (!tags.containsKey(GateDecision.TAG_PREFIX + "decision")) {
      Optional<ModelVersion> champion = workspace.registry().byAlias(model, ModelRegistry.CHAMPION);
      if (champion.isEmpty() || champion.get().version() != challenger.version()) {
        return Optional.empty();
      }
      double value = Double.parseDouble(challenger.tags().getOrDefault(PromotionGate.VALUE_TAG_PREFIX
          + gate.spec().metric(), "NaN"));
      GateDecision promoted = new GateDecision(gate.spec(), challenger.version(), value, OptionalLong.empty(),
          OptionalDouble.empty(), true, "version " + challenger.version() + " already held the champion alias "
          + "when the publication was completed: the gate promoted it before the MLflow server went away");
      workspace.registry().setVersionTags(model, challenger.version(), promoted.tags());
      tags.putAll(promoted.tags());
    }
    if (challenger.runId() != null && !challenger.runId().isEmpty()) {
      workspace.registry().setRunTags(challenger.runId(), tags);
    }
    GateOutcome.write(result.runDirectory(), model, tags);
    return Optional.of(new GateOutcome(model, tags));
  }

  /**
   * What {@code --register}/{@code --promote-if} will publish of a succeeded run: its model and, with a gate, the
   * gate's value; null (said on {@code out}) when the model stage was served from the cache.
   *
   * @throws UsageException when the gate's stage did not report the gate's metric (naming what it reported and
   *     how to publish this run's model without training again)
   */
  private PendingPublication publicationOf(RunResult result, String trackedRunId, PrintWriter out) {
    StageRecord trained = result.run().stages.get(modelStage);
    if (trained.status == StageStatus.CACHED) {
      // The same model as run trained.reusedFromRun's, which registered it then: a second version would be a copy.
      out.println("Not registered: stage '" + modelStage + "' was served from the cache of run "
          + trained.reusedFromRun + ", so the model is the one that run trained (register that run's model: "
          + "tessera resume " + trained.reusedFromRun + " --register, or use --no-cache to train anew).");
      return null;
    }
    Double value = null;
    if (gate != null) {
      String metric = gate.spec().metric();
      String stage = stageOf(metric);
      value = result.summary(stage, metric.substring(stage.length() + 1));
      if (value == null) {
        throw new UsageException("--promote-if " + gate.spec() + ": stage '" + stage + "' reported no '"
            + metric.substring(stage.length() + 1) + "'; it reported " + result.run().stages.get(stage).summary
            .keySet() + ". The model was not registered. Pick one of those metrics and publish this run's model "
            + "without training again: tessera resume " + result.runId() + " --promote-if " + stage + "/<metric>"
            + gate.spec().toString().substring(metric.length()) + ".");
      }
    }
    return new PendingPublication(experiment.name(), gate == null, gate == null ? null : gate.spec().toString(),
        trackedRunId, modelStage + "/model", value, null, null, null);
  }

  /**
   * Publishes the model of a run that succeeded earlier ({@code tessera resume <run-id> --register} or
   * {@code --promote-if}), for instance after a gate named a metric its stage does not report: registration is
   * idempotent (the same run and model give the same version) and a gate that already decided for this version
   * does not decide again.
   *
   * @return the exit code
   */
  static int publishAfterwards(Workspace workspace, Experiment experiment, RunRecord run, boolean register,
      String promoteIf, PrintWriter out) {
    if (run.trackedRunId == null) {
      throw new UsageException("Run " + run.runId + " has no MLflow run to register a model from.");
    }
    RunPublication publication = of(workspace, experiment, register, promoteIf);
    RunResult result = resultOf(workspace, run);
    PendingPublication pending = publication.publicationOf(result, run.trackedRunId, out);
    boolean done = pending == null || publication.finish(result, pending, out);
    out.flush();
    return done ? Main.OK : Main.STAGE_FAILED;
  }

  /** A run's result as recorded, with the artifacts of its done stages verified in the store. */
  private static RunResult resultOf(Workspace workspace, RunRecord run) {
    Map<String, Artifact> artifacts = new HashMap<>();
    run.stages.forEach((name, record) -> {
      if (record.status.done() && record.cacheKey != null) {
        workspace.store().verify(record.cacheKey).artifact().ifPresent(a -> artifacts.put(name, a));
      }
    });
    return new RunResult(run, artifacts, workspace.runs().directory(run.runId));
  }

  /**
   * Completes the publication a succeeded run left pending ({@code tessera resume <run-id>}): registers its model
   * (registration is idempotent) and, with a gate that has not decided yet, decides; then removes the marker.
   *
   * @return the exit code
   */
  static int complete(Workspace workspace, Experiment experiment, RunRecord run, PendingPublication pending,
      PrintWriter out) {
    RunPublication publication = of(workspace, experiment, pending.register(), pending.promoteIf());
    Path runDirectory = workspace.runs().directory(run.runId);
    RunResult result = resultOf(workspace, run);
    out.println("Completing the pending " + pending.describe() + " of run " + run.runId + " (MLflow run "
        + pending.trackedRunId() + ").");
    boolean done = publication.finish(result, pending, out);
    out.flush();
    if (!done) {
      return Main.STAGE_FAILED;
    }
    PendingPublication.delete(runDirectory);
    return Main.OK;
  }

  /** The champion's value of the gate's metric, measured again by the metric's stage on this run's data. */
  private OptionalDouble championOnThisData(RunResult result) {
    String model = experiment.name();
    String metric = gate.spec().metric();
    String stage = stageOf(metric);
    Path directory = new ModelResolver(workspace.registry(), workspace.home().resolve("models"))
        .resolve(new ModelReference(model, ModelRegistry.CHAMPION, OptionalLong.empty())).directory();
    StageNode node = experiment.stages().stream().filter(n -> n.name().equals(stage)).findFirst().orElseThrow();
    return ChampionEvaluation.measure(experiment, node, result, directory, metric.substring(stage.length() + 1),
        workspace.home().resolve("tmp"));
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
