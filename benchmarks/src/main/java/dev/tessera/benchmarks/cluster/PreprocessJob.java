package dev.tessera.benchmarks.cluster;

import static dev.tessera.pipelines.dag.Experiment.after;

import dev.tessera.experiments.MnistLenet;
import dev.tessera.pipelines.Tessera;
import dev.tessera.pipelines.TesseraOptions;
import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.beam.BeamPipelines;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.exec.ExecutorOptions;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.exec.StageRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * mnist-lenet's preprocess stage (resize to 32x32, normalize with MNIST's mean and std) over all 70,000 MNIST
 * samples on the runner its pipeline arguments name, timed from the stage's submission to its end. A program the
 * {@link ClusterPreprocessBenchmark} starts in a JVM with that runner's class path; it prints one line,
 * {@value #RESULT} followed by the stage's seconds, its rows, its dataset digest and the ingest stage's status.
 *
 * <p>The ingest stage's artifact comes from a reference Tessera home (made once by {@link #ingest}), copied into
 * a fresh home, so every runner preprocesses the same input bytes and nothing but preprocess runs on the runner.
 * Beam's scan of the options interfaces on the class path is paid before the stage starts, as a second stage of a
 * {@code tessera run} would find it.
 *
 * <pre>
 * java &lt;tessera.jvm.flags&gt; -cp &lt;runner class path&gt; dev.tessera.benchmarks.cluster.PreprocessJob \
 *     &lt;reference folder&gt; &lt;work folder&gt; --runner=FlinkRunner --flinkMaster=127.0.0.1:8081
 * </pre>
 */
public final class PreprocessJob {
  /** The first word of the result line. */
  static final String RESULT = "preprocess-job";

  private PreprocessJob() {}

  /** mnist-lenet's ingest and preprocess stages, as its definition declares them. */
  static Experiment experiment(boolean withPreprocess) {
    Experiment lenet = new MnistLenet().define();
    Experiment.Builder builder = Experiment.named(MnistLenet.NAME + "-data").seed(lenet.seed())
        .stage("ingest", lenet.stage("ingest").stage());
    if (withPreprocess) {
      builder.stage("preprocess", lenet.stage("preprocess").stage(), after("ingest"));
    }
    return builder.build();
  }

  /** Ingests MNIST (the catalog's, from {@code TESSERA_DATA_MIRROR}) on the DirectRunner into {@code dir}. */
  static Artifact ingest(Path dir) {
    RunResult result = run(experiment(false), dir, List.of("--runner=DirectRunner"));
    return result.artifacts().get("ingest");
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      throw new IllegalArgumentException("PreprocessJob takes <reference folder> <work folder> <pipeline args...>, "
          + "but got " + Arrays.toString(args));
    }
    Path reference = Path.of(args[0]);
    Path work = Path.of(args[1]);
    List<String> pipelineArgs = List.of(args).subList(2, args.length);
    copyHome(reference, work);
    BeamPipelines.create(pipelineArgs); // the options scan, once per JVM: not part of the job's time
    RunResult result = run(experiment(true), work, pipelineArgs);
    StageRecord stage = result.run().stages.get("preprocess");
    Artifact artifact = result.artifacts().get("preprocess");
    long rows = DatasetManifest.read(artifact.directory()).totalRows();
    System.out.printf(Locale.ROOT, "%s %.3f %d %s %s%n", RESULT, stage.durationMillis() / 1e3, rows,
        artifact.digest(), result.run().stages.get("ingest").status);
  }

  /** Copies the reference's Tessera home (the ingest artifact and its run) into {@code work}. */
  private static void copyHome(Path reference, Path work) throws IOException {
    Files.createDirectories(work);
    try {
      Process copy = new ProcessBuilder("cp", "-r", reference.resolve("home").toString(), work.toString())
          .inheritIO().start();
      if (copy.waitFor() != 0) {
        throw new IOException("cp -r " + reference.resolve("home") + " " + work + " exited with " + copy.exitValue());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while copying " + reference, e);
    }
  }

  private static RunResult run(Experiment experiment, Path dir, List<String> pipelineArgs) {
    RunResult result = Tessera.run(experiment, TesseraOptions.in(dir).withMlruns(null)
        .withExecutor(ExecutorOptions.defaults().withPipelineArgs(pipelineArgs)));
    if (result.status() != RunOutcome.SUCCEEDED) {
      throw new IllegalStateException(experiment.name() + " with " + pipelineArgs + " ended " + result.status()
          + ": " + result.run().stages);
    }
    return result;
  }
}
