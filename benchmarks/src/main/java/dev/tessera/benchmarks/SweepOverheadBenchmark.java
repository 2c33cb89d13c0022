package dev.tessera.benchmarks;

import static dev.tessera.pipelines.dag.Experiment.after;

import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.artifact.Digests;
import dev.tessera.pipelines.artifact.Manifest;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.spec.Overrides;
import dev.tessera.pipelines.spec.SpecOverride;
import dev.tessera.pipelines.testing.Engine;
import dev.tessera.pipelines.tracking.mlflow.FileStoreTracker;
import dev.tessera.stages.evaluate.Evaluate;
import dev.tessera.stages.preprocess.Preprocess;
import dev.tessera.stages.sweep.RandomSearch;
import dev.tessera.stages.sweep.SearchSpace;
import dev.tessera.stages.sweep.Sweep;
import dev.tessera.stages.sweep.Trial;
import dev.tessera.stages.testing.SyntheticDigits;
import dev.tessera.stages.train.Models;
import dev.tessera.stages.train.Train;
import dev.tessera.stages.train.TrainSpec;
import dev.tessera.transforms.image.SimdWidth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The sweep stage's cost per trial and its parallel efficiency (issue 12), against the same trials run by hand.
 *
 * <p>Each round, in one warm JVM and in a rotating order: (a) a plain loop calls {@code Train.run} and {@code Evaluate.run} for each of
 * the trials with a bare context (no tracking, no executor); (b) the same trials through the {@link Sweep} stage
 * in the executor with MLflow's file store, one slot; (c) the same with two slots. The trials are the random
 * search's first {@code trials} suggestions for the experiment seed, so all three train exactly the same settings;
 * each sweep runs in a fresh Tessera home so none reuses another's trials. The sweep's time is its stage's own
 * (the upstream stages are not counted). Overhead per trial = (b - a) / trials; parallel efficiency = a / (2 c).
 *
 * <p>Run: {@code java <tessera.jvm.flags> -cp <classpath> dev.tessera.benchmarks.SweepOverheadBenchmark [rounds]
 * [trials] [epochs]} (defaults 3, 6 and 2).
 */
public final class SweepOverheadBenchmark {
  private static final long SEED = 5;
  private static final String SPACE = "train.optimizer.learningRate=loguniform(1e-3,1e-1); "
      + "train.batchSize=choice(16,32)";

  private SweepOverheadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int trials = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    Path root = Files.createTempDirectory("sweep-benchmark");
    Train train = Train.classifier(Models.mlp(64).withInput(1, 20, 20)).epochs(epochs).batchSize(32);
    Evaluate evaluate = Evaluate.classification();
    sweep(root.resolve("warm-up"), train, evaluate, 2, 1); // JIT, DJL's engine, Beam's options scan
    double bestLoop = Double.MAX_VALUE;
    double bestOne = Double.MAX_VALUE;
    double bestTwo = Double.MAX_VALUE;
    for (int r = 0; r < rounds; r++) {
      double[] seconds = new double[3];
      for (int k = 0; k < 3; k++) {
        int which = (k + r) % 3; // the order rotates, so that none always runs first in a round
        Path loopDir = root.resolve("loop-" + r);
        seconds[which] = which == 0 ? onAnotherThread(() -> loop(loopDir, train, evaluate, trials))
            : sweep(root.resolve("slots-" + which + "-" + r), train, evaluate, trials, which);
      }
      double loop = seconds[0];
      double one = seconds[1];
      double two = seconds[2];
      System.out.printf("  round %d: plain loop %.2f s, sweep 1 slot %.2f s, sweep 2 slots %.2f s%n", r, loop, one,
          two);
      bestLoop = Math.min(bestLoop, loop);
      bestOne = Math.min(bestOne, one);
      bestTwo = Math.min(bestTwo, two);
    }
    System.out.printf("  CPU: %s; vector flags: %s; %d cores; load average %.2f%n", SimdWidth.cpuModel(),
        String.join(" ", SimdWidth.vectorFlags()), Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.printf("Sweep stage vs plain loop: %d trials (MLP 64, %d epochs of 400 20x20 samples, evaluated on "
        + "400), best of %d rounds, wall time%n", trials, epochs, rounds);
    System.out.printf("  plain loop:              %.2f s (%.3f s per trial)%n", bestLoop, bestLoop / trials);
    System.out.printf("  sweep stage, 1 slot:     %.2f s; overhead %.1f ms per trial = %.2f%% of a 30 s trial%n",
        bestOne, 1000 * (bestOne - bestLoop) / trials, 100 * (bestOne - bestLoop) / trials / 30);
    System.out.printf("  sweep stage, 2 slots:    %.2f s; speed-up over the loop %.2f, parallel efficiency %.2f%n",
        bestTwo, bestLoop / bestTwo, bestLoop / (2 * bestTwo));
  }

  /**
   * Runs {@code work} on a fresh thread, as the executor runs a stage: on the main thread the same training ran
   * 2.5-6 times slower here (PyTorch's intra-op pool, presumably), which is not what this benchmark compares.
   */
  private static double onAnotherThread(java.util.concurrent.Callable<Double> work) throws Exception {
    java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      return thread.submit(work).get();
    } finally {
      thread.shutdown();
    }
  }

  /** The trials by hand: the random search's suggestions, trained and evaluated with a bare context. */
  private static double loop(Path dir, Train train, Evaluate evaluate, int trials) throws Exception {
    Artifact data = dataset(dir.resolve("data"));
    SearchSpace space = SearchSpace.parse(SPACE);
    RandomSearch search = new RandomSearch(space);
    long start = System.nanoTime();
    for (int i = 0; i < trials; i++) {
      Trial trial = search.suggest(List.of(), Sweep.trialRandom(SEED, i));
      TrainSpec spec = Overrides.apply(train.spec(), SpecOverride.parseAll(trial.overrides()));
      Path model = Files.createDirectories(dir.resolve("trial-" + i).resolve("train"));
      new Train(spec).run(new PlainStageContext("train", SEED, Map.of(ArtifactKind.DATASET, data), model,
          Files.createDirectories(dir.resolve("trial-" + i).resolve("train-work"))));
      Artifact modelArtifact = new Artifact("trial-" + i, model, new Manifest(ArtifactKind.MODEL.id(), 1,
          Digests.ofTree(model, List.of()), "plain", "train", "", System.currentTimeMillis(), Map.of()));
      evaluate.run(new PlainStageContext("evaluate", SEED,
          Map.of(ArtifactKind.DATASET, data, ArtifactKind.MODEL, modelArtifact),
          Files.createDirectories(dir.resolve("trial-" + i).resolve("evaluate")),
          Files.createDirectories(dir.resolve("trial-" + i).resolve("evaluate-work"))));
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** The experiment's data stages, with the sweep after them when {@code sweep} is not null. */
  private static RunResult run(Path home, Sweep sweep) {
    Experiment.Builder experiment = Experiment.named("sweep-benchmark").seed(SEED)
        .stage("source", SyntheticDigits.of(4, 100))
        .stage("preprocess", Preprocess.normalize(0.5, 0.25), after("source"));
    if (sweep != null) {
      experiment.stage("sweep", sweep, after("preprocess"));
    }
    Engine engine = new Engine(home);
    engine.tracker = FileStoreTracker.at(home.resolve("mlruns"));
    RunResult result = engine.run(experiment.build());
    if (result.status() != RunOutcome.SUCCEEDED) {
      throw new IllegalStateException("the benchmark run failed: " + result.run().stages);
    }
    return result;
  }

  /** The preprocessed synthetic digits, as the sweep's trials read them. */
  private static Artifact dataset(Path home) {
    return run(home, null).artifacts().get("preprocess");
  }

  /** The same trials through the sweep stage in a fresh home; the stage's own wall time in seconds. */
  private static double sweep(Path home, Train train, Evaluate evaluate, int trials, int slots) {
    Sweep sweep = Sweep.of(train, evaluate).space(SPACE).random(trials).parallelism(slots).maximize("accuracy");
    var stage = run(home, sweep).run().stages.get("sweep");
    if (stage.summary.getOrDefault("failed_trials", 0.0) > 0) {
      throw new IllegalStateException("trials of the benchmark sweep failed (" + slots + " slots): " + stage.summary
          + "; see " + home.resolve("runs"));
    }
    return stage.durationMillis() / 1000.0;
  }
}
