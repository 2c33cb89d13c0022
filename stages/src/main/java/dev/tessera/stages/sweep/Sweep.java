package dev.tessera.stages.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.artifact.ArtifactStore;
import dev.tessera.pipelines.artifact.Digests;
import dev.tessera.pipelines.beam.BeamPipelines;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Headline;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageResult;
import dev.tessera.pipelines.exec.Fingerprints;
import dev.tessera.pipelines.spec.Specs;
import dev.tessera.stages.evaluate.Evaluate;
import dev.tessera.stages.train.Train;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A hyperparameter sweep as one stage: trains and evaluates the wrapped stages once per trial, with the trial's
 * overrides of their settings, and outputs the best trial's model. Upstream stages (ingest, preprocess) run once and
 * are shared by every trial through the DAG's cache.
 *
 * <pre>{@code
 * .stage("sweep", Sweep.of(Train.classifier(Models.lenet()).epochs(2), Evaluate.classification())
 *     .space("train.optimizer.learningRate=loguniform(1e-4,1e-2); train.batchSize=choice(64,128)")
 *     .tpe(20).maximize("accuracy"), after("preprocess"))
 * }</pre>
 *
 * <p>Each trial is a child run in MLflow ({@code mlflow.parentRunId}) with its overrides as params and its stages'
 * metrics ({@code train/loss}, {@code evaluate/accuracy}); a failed trial (an exception, or a NaN objective) is kept
 * as {@code FAILED} with its error and the sweep goes on unless every trial fails. The parent run gets the best
 * trial's settings ({@code sweep.best.<path>}), its objective, its child run id (tag
 * {@code tessera.sweep.best_trial}), {@code trials.csv} and an optimization-history plot.
 *
 * <p>With {@link #asha} a trial trains a rung's epochs at a time and only the best {@code 1/eta} of a rung go on,
 * continuing from their checkpoints (the train stage resumes a run asked for more epochs); trials successive halving
 * stopped end as {@code KILLED} with the tag {@code tessera.sweep.stopped}, and {@code rungs.csv} shows what each
 * rung saw and spent. {@link #parallelism} trains several trials at once: in threads of this process, or, with
 * {@code --runner=FlinkRunner|SparkRunner} (see {@link #executor}), as elements of a Beam job trained inside the
 * runner's workers, which return each trial's record and tracking to this process (see {@link BeamTrialSlots}).
 *
 * <p>Ended jobs are appended to {@code trials.jsonl} in a work directory shared by every run of the same sweep
 * settings (except the trial count), wrapped stages, code, seed and data (pruned when the sweep ends to what such a
 * run can reuse, see {@link TrialFolders}): {@code tessera resume} reruns only
 * unfinished trials, keeping one child run per trial (see {@link TrialRuns}), and the same sweep run again with
 * more {@code sweep.trials} reuses the ones it has. Trial
 * {@code i} draws from {@link #trialRandom}(experiment seed, i), so a resumed sweep suggests what an
 * uninterrupted one would (with one slot; see {@link SweepScheduler}).
 */
public record Sweep(SweepSpec spec, Train train, Evaluate evaluate) implements Stage<SweepSpec> {

  /** A sweep over the settings of {@code train} and {@code evaluate}: random search, 10 trials, max accuracy. */
  public static Sweep of(Train train, Evaluate evaluate) {
    return new Sweep(SweepSpec.random("train.optimizer.learningRate=loguniform(1e-4,1e-2)", 10, "accuracy"), train,
        evaluate);
  }

  /** A copy searching this space (see {@link SearchSpace#parse}). */
  public Sweep space(String text) {
    return withSpec(spec.withSpace(text));
  }

  /** A copy running {@code trials} trials suggested by TPE. */
  public Sweep tpe(int trials) {
    return withSpec(spec.withStrategy("tpe").withTrials(trials));
  }

  /** A copy running {@code trials} random trials. */
  public Sweep random(int trials) {
    return withSpec(spec.withStrategy("random").withTrials(trials));
  }

  /** A copy walking a grid of {@code pointsPerRange} values per numeric range (every choice of a categorical). */
  public Sweep grid(int pointsPerRange) {
    return withSpec(spec.withStrategy("grid").withTrials(10_000).withGridPoints(pointsPerRange));
  }

  /** A copy maximizing the evaluate stage's figure {@code metric}. */
  public Sweep maximize(String metric) {
    return withSpec(spec.withObjective(metric, "maximize"));
  }

  /** A copy minimizing the evaluate stage's figure {@code metric}. */
  public Sweep minimize(String metric) {
    return withSpec(spec.withObjective(metric, "minimize"));
  }

  /**
   * A copy stopping trials by asynchronous successive halving: each trial trains {@code minEpochs} first, and the
   * best {@code 1/eta} of a rung continue from their checkpoints to {@code eta} times the epochs, up to
   * {@code maxEpochs} (see {@link HalvingSpec}). The space must not set {@code train.epochs}: halving does.
   */
  public Sweep asha(int minEpochs, int maxEpochs, int eta) {
    return withSpec(spec.withHalving(new HalvingSpec(minEpochs, maxEpochs, eta)));
  }

  /**
   * A copy training trials on {@code executor}: {@code local} (threads of this process), {@code beam} (elements of
   * a Beam job on the run's runner, trained inside its workers) or {@code auto} (see {@link SweepSpec#executor}).
   *
   * <pre>{@code
   * Sweep.of(train, evaluate).random(8).parallelism(4).executor("beam")   // with --runner=FlinkRunner
   * }</pre>
   */
  public Sweep executor(String executor) {
    return withSpec(spec.withExecutor(executor));
  }

  /** A copy training up to {@code slots} trials at once. */
  public Sweep parallelism(int slots) {
    return withSpec(spec.withParallelism(slots));
  }

  @Override
  public Sweep withSpec(SweepSpec newSpec) {
    return new Sweep(newSpec, train, evaluate);
  }

  @Override
  public String kind() {
    return "sweep";
  }

  @Override
  public List<ArtifactKind> inputs() {
    return List.of(ArtifactKind.DATASET);
  }

  @Override
  public ArtifactKind output() {
    return ArtifactKind.MODEL;
  }

  @Override
  public boolean usesExperimentSeed() {
    return true;
  }

  /** The wrapped stages' registry entries; their settings are environment facts of the key (see below). */
  @Override
  public List<Class<?>> implementationClasses() {
    List<Class<?>> classes = new ArrayList<>(train.implementationClasses());
    classes.addAll(evaluate.implementationClasses());
    return classes;
  }

  /** The wrapped stages' environment and their full settings, so that a change to either reruns the sweep. */
  @Override
  public Map<String, String> environment() {
    Map<String, String> environment = new LinkedHashMap<>(train.environment());
    environment.put("train.spec", Specs.canonicalJson(train.spec()));
    environment.put("evaluate.spec", Specs.canonicalJson(evaluate.spec()));
    return environment;
  }

  @Override
  public Optional<Headline> headline() {
    return Optional.of(new Headline("best_" + spec.objective(), "Best trial's " + spec.objective().replace('_', ' '),
        true));
  }

  /** The settings a space may name, with their current values: {@code train.*} and {@code evaluate.*}. */
  public Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>(Specs.flatten("train", train.spec()));
    settings.putAll(Specs.flatten("evaluate", evaluate.spec()));
    return settings;
  }

  @Override
  public StageResult run(StageContext context) throws Exception {
    SearchSpace space = SearchSpace.parse(spec.space());
    space.checkAgainst(settings());
    if (spec.halving().enabled() && space.names().contains("train.epochs")) {
      throw new IllegalArgumentException("sweep.space sets train.epochs, but sweep.halving.minEpochs="
          + spec.halving().minEpochs() + " gives every trial its epochs by rung; remove train.epochs from the "
          + "space, or set sweep.halving.minEpochs=0");
    }
    Strategy strategy = switch (spec.strategy()) {
      case "grid" -> new GridSearch(space, Map.of(), spec.gridPoints());
      case "tpe" -> new TpeSearch(space, spec.directionValue());
      default -> new RandomSearch(space);
    };
    int trials = strategy instanceof GridSearch grid ? Math.min(spec.trials(), grid.points().size()) : spec.trials();
    Artifact dataset = context.input(ArtifactKind.DATASET);
    Path root = context.sharedWorkDirectory(trialsKey(context.seed(), dataset));
    try (FileChannel channel = FileChannel.open(root.resolve("lock"), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        FileLock lock = tryLock(channel)) {
      if (lock == null) {
        root = Files.createDirectories(context.workDirectory().resolve("trials"));
        context.progress().log("another run is using this sweep's shared trials; running them in " + root);
      }
      Path log = root.resolve("trials.jsonl");
      // A run with fewer trials than an earlier one reuses that one's first trials, and only those.
      List<SweepRecord> ended = SweepRecord.read(log).stream().filter(r -> r.index() < trials).toList();
      if (!ended.isEmpty()) {
        context.progress().log("reusing " + ended.size() + " ended trial jobs from " + log);
      }
      SweepScheduler scheduler = new SweepScheduler(context, spec, strategy, trials, log, ended);
      List<SweepRecord> records = scheduler.run(slots(context, dataset, root));
      StageResult result = SweepOutputs.write(context, spec, records, scheduler.topRung(), root);
      long removed = TrialFolders.prune(root, records, scheduler.topRung());
      context.progress().log(String.format(java.util.Locale.ROOT, "trial folders: removed %.1f MB that no later "
          + "run of this sweep needs; %.1f MB stay in %s for a run with more trials", removed / 1e6,
          ArtifactStore.sizeOf(root) / 1e6, root));
      return result;
    }
  }

  /**
   * The slots the trials train in: threads of this process, or with {@code sweep.executor=beam} (or {@code auto}
   * on a runner other than the DirectRunner) elements of Beam jobs on the run's runner.
   */
  private TrialSlots slots(StageContext context, Artifact dataset, Path root) {
    String runner = BeamPipelines.options(context.pipelineArgs()).getRunner().getSimpleName();
    boolean beam = spec.executor().equals("beam") || spec.executor().equals("auto") && !runner.equals("DirectRunner");
    if (!beam) {
      TrialRunner trials = new TrialRunner(context, train, evaluate, spec.objective(), dataset, root);
      return new LocalTrialSlots(trials, spec.parallelism(), context.stageName());
    }
    context.progress().log("trials train as elements of Beam jobs on the " + runner + ", " + spec.parallelism()
        + " per job (sweep.executor=" + spec.executor() + ")" + (spec.parallelism() > 1 ? ""
        : "; sweep.parallelism=1 trains one trial at a time: set it to the runner's slots to train side by side"));
    return new BeamTrialSlots(context, train, evaluate, spec.objective(), dataset, root, spec.parallelism());
  }

  /**
   * The random generator trial {@code index} draws its suggestion from: seeded by (experiment seed, index) through
   * a SplitMix64 mix, because {@link Random}s seeded with consecutive numbers start with almost the same draws
   * (trials 0-3 of a random search all got a learning rate within 2% of 3e-3).
   */
  public static Random trialRandom(long seed, int index) {
    long z = seed * 0x9E3779B97F4A7C15L + (index + 1L) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return new Random(z ^ (z >>> 31));
  }

  /**
   * What makes ended trials reusable by a later run: the sweep's settings except the trial count, the slots and
   * the executor (every executor gives a trial the same result), the wrapped stages' settings and code, the seed
   * and the input data.
   */
  private String trialsKey(long seed, Artifact dataset) {
    ObjectNode settings = (ObjectNode) Specs.toTree(spec.withTrials(1).withParallelism(1));
    settings.remove("executor");
    return Digests.sha256Hex(Specs.canonicalJson(settings) + "\n"
        + Specs.canonicalJson(train.spec()) + "\n" + Specs.canonicalJson(evaluate.spec()) + "\nseed=" + seed
        + "\ncode=" + Fingerprints.ofStage(train).digest() + "," + Fingerprints.ofStage(evaluate).digest()
        + "\ndata=" + dataset.digest());
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // this JVM holds it already
    }
  }
}
