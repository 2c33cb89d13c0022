package dev.tessera.stages.testing;

import static dev.tessera.pipelines.dag.Experiment.after;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tessera.pipelines.Tessera;
import dev.tessera.pipelines.TesseraOptions;
import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.artifact.Digests;
import dev.tessera.pipelines.artifact.RemoteArtifacts;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardReader;
import dev.tessera.pipelines.exec.ExecutorOptions;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.exec.StageStatus;
import dev.tessera.pipelines.testing.Engine;
import dev.tessera.pipelines.testing.MotoServer;
import dev.tessera.stages.augment.DetectionAugment;
import dev.tessera.stages.evaluate.Evaluate;
import dev.tessera.stages.evaluate.EvaluateSpec;
import dev.tessera.stages.evaluate.PredictionsFile;
import dev.tessera.stages.ingest.Ingest;
import dev.tessera.stages.ingest.IngestSpec;
import dev.tessera.stages.ingest.SourceFormat;
import dev.tessera.stages.preprocess.Preprocess;
import dev.tessera.stages.train.Models;
import dev.tessera.stages.train.Train;
import dev.tessera.transforms.sample.Box;
import dev.tessera.transforms.sample.DType;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every Beam runner must do with Tessera's Beam stages (today {@link Ingest}, {@link Preprocess},
 * {@link DetectionAugment} and {@link Evaluate}): run them to completion and write the same bytes as the
 * DirectRunner, also when the workers write into a bucket (an S3-compatible server, moto, on 127.0.0.1, one per
 * test class). Each test runs its experiment twice, on the DirectRunner as the reference and on the runner under
 * test, each in its own Tessera home (so nothing is served from the cache; evaluate gets the reference's trained
 * model), then checks row counts, known samples, and that both wrote identical shards (per-shard SHA-256 and the
 * dataset digest). The MNIST and BCCD runs on the runner under test have their artifact root in the bucket (the
 * reference stays local): the workers write the shards there, pyarrow reads them there, and the checks of samples
 * and shards read a copy downloaded from the bucket.
 *
 * <p>One subclass per runner, in the runner's module (its class path is the one the CLI uses with that runner):
 *
 * <pre>{@code
 * class FlinkRunnerContractIT extends BeamStagesContract {
 *   protected List<String> pipelineArgs() { return List.of("--runner=FlinkRunner", "--flinkMaster=[local]"); }
 * }
 * }</pre>
 *
 * <p>The reference run keeps the DirectRunner's per-element immutability and encodability checks on (cheap here:
 * the elements are shard tasks); the runner under test gets exactly {@link #pipelineArgs()}, passed through
 * {@code BeamPipelines} as in a real run.
 */
public abstract class BeamStagesContract {
  /** The reference: DirectRunner with its per-element checks on. */
  protected static final List<String> DIRECT_CHECKED =
      List.of("--runner=DirectRunner", "--enforceImmutability=true", "--enforceEncodability=true");

  /** The bucket of {@link #s3} that the runs on the runner under test write into, one root per test. */
  private static final String BUCKET = "contract";

  @TempDir protected Path dir;
  @TempDir static Path s3Dir;
  /** The S3-compatible server of this test class. */
  private static MotoServer s3;
  /**
   * The artifacts of the last {@link #run} or {@link #downloaded} copy: the runner under test's, as it runs second.
   */
  private Map<String, Artifact> outputs = Map.of();

  /** Pipeline arguments selecting the runner under test, such as {@code --runner=SparkRunner}. */
  protected abstract List<String> pipelineArgs();

  @BeforeAll
  static void startS3() {
    s3 = MotoServer.start(s3Dir);
    s3.createBucket(BUCKET);
  }

  @AfterAll
  static void stopS3() {
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void preprocessesSyntheticShardsToTheDirectRunnersBytes() throws Exception {
    Preprocess preprocess = Preprocess.normalize(0.5, 0.25).resizedTo(12, 12);
    Experiment experiment = Experiment.named("runner-contract-synthetic")
        .stage("source", SyntheticDigits.of(3, 40))
        .stage("preprocess", preprocess, after("source"))
        .build();

    Map<String, DatasetManifest> reference = run(experiment, "direct", DIRECT_CHECKED);
    Map<String, DatasetManifest> actual = run(experiment, "runner", pipelineArgs());

    DatasetManifest out = actual.get("preprocess");
    assertEquals(240, out.totalRows());
    assertEquals(List.of("test", "train"), List.copyOf(out.splits().keySet()));
    assertEquals(3, out.splits().get("train").shards().size());
    Sample expected = preprocess.function().apply(SyntheticDigits.sample("train", 45));
    Sample written = sampleAt(outputs.get("preprocess"), "train/train-00001.arrow", 5);
    assertEquals(expected, written, "sample 45 (shard 1, row 5) is the preprocess function of its source");
    assertSameShards(reference.get("preprocess"), out);
  }

  @Test
  void preprocessesIntoABucketToTheDirectRunnersBytes() throws Exception {
    Experiment experiment = Experiment.named("runner-contract-bucket")
        .stage("source", SyntheticDigits.of(3, 20))
        .stage("preprocess", Preprocess.normalize(0.5, 0.25).resizedTo(12, 12), after("source"))
        .build();
    run(experiment, "direct", DIRECT_CHECKED);
    Artifact reference = outputs.get("preprocess");

    RunResult result = runInBucket(experiment, "synthetic", "preprocess");
    assertEquals(reference.digest(), result.artifacts().get("preprocess").digest(),
        "the bytes the DirectRunner wrote locally");
  }

  @Test
  void ingestsAndPreprocessesMnistToTheDirectRunnersBytes() throws Exception {
    assumeTrue(System.getenv("TESSERA_DATA_MIRROR") != null,
        "TESSERA_DATA_MIRROR is not set: this test needs the MNIST files of the offline mirror");
    Preprocess preprocess = Preprocess.normalize(0.1307, 0.3081).resizedTo(32, 32);
    Experiment experiment = Experiment.named("runner-contract-mnist")
        // The first 1,500 samples of each split in shards of 500: several shards per worker, in seconds.
        .stage("ingest", new Ingest(new IngestSpec("mnist", "", SourceFormat.AUTO, 500, 1_500, false, false, null)))
        .stage("preprocess", preprocess, after("ingest"))
        .build();

    Map<String, DatasetManifest> reference = run(experiment, "direct", DIRECT_CHECKED);
    Map<String, DatasetManifest> actual = downloaded(runInBucket(experiment, "mnist", "ingest", "preprocess"), "mnist");

    assertEquals("3000 0", pyarrowReads("mnist", "ingest"), "pyarrow reads the ingested shards in the bucket");
    assertEquals("3000 0", pyarrowReads("mnist", "preprocess"), "pyarrow reads the preprocessed shards");
    DatasetManifest raw = actual.get("ingest");
    assertEquals(1_500, raw.splits().get("train").rows());
    assertEquals(1_500, raw.splits().get("test").rows());
    assertEquals(3, raw.splits().get("train").shards().size());
    raw.requireIntact(outputs.get("ingest").directory());
    Sample first = sampleAt(outputs.get("ingest"), "train/train-00000.arrow", 0);
    assertEquals("mnist/train/00000", first.id());
    assertEquals(5, first.label(), "the first MNIST training digit is a 5");
    assertEquals(DType.UINT8, first.dtype());
    assertArrayEquals(new int[] {28, 28, 1}, new int[] {first.height(), first.width(), first.channels()});
    assertEquals(240, first.pixels()[14 * 28 + 14] & 0xff, "pixel (14, 14) of the first training digit");
    assertEquals(27_525, sum(first.pixels()), "pixel sum of the first training digit");
    Sample firstTest = sampleAt(outputs.get("ingest"), "test/test-00002.arrow", 0);
    assertEquals("mnist/test/01000", firstTest.id());

    DatasetManifest processed = actual.get("preprocess");
    assertEquals(3_000, processed.totalRows());
    Sample normalized = sampleAt(outputs.get("preprocess"), "train/train-00000.arrow", 0);
    assertEquals(DType.FLOAT32, normalized.dtype());
    assertEquals(Layout.CHW, normalized.layout());
    assertEquals(preprocess.function().apply(first), normalized);
    assertEquals((float) ((0 - 0.1307) / 0.3081), normalized.floatPixels()[0], 1e-6, "a corner is background");

    assertSameShards(reference.get("ingest"), raw);
    assertSameShards(reference.get("preprocess"), processed);
  }

  @Test
  void mosaicsLetterboxesMixesUpAndNormalizesBccdToTheDirectRunnersBytes() throws Exception {
    String mirror = System.getenv("TESSERA_DATA_MIRROR");
    assumeTrue(mirror != null && Files.isDirectory(Path.of(mirror, "bccd")),
        "TESSERA_DATA_MIRROR is not set or has no bccd/: this test reads real BCCD images from the offline mirror");
    Experiment experiment = Experiment.named("runner-contract-bccd").seed(42)
        // The first 12 images of each split in shards of 6: mosaic groups and mixup pairs span shards, and so do
        // output shards.
        .stage("ingest", new Ingest(IngestSpec.of("bccd").withSamplesPerShard(6).withLimit(12)))
        .stage("augment", DetectionAugment.letterbox(416).withMixup(0.5).samplesPerShard(6), after("ingest"))
        .build();

    Map<String, DatasetManifest> reference = run(experiment, "direct", DIRECT_CHECKED);
    Map<String, DatasetManifest> actual = downloaded(runInBucket(experiment, "bccd", "ingest", "augment"), "bccd");

    assertEquals("36 0", pyarrowReads("bccd", "ingest"), "pyarrow reads the ingested shards in the bucket");
    assertEquals("36 0", pyarrowReads("bccd", "augment"), "pyarrow reads the augmented shards");
    DatasetManifest augmented = actual.get("augment");
    assertEquals(36, augmented.totalRows());
    assertEquals(List.of("test", "train", "val"), List.copyOf(augmented.splits().keySet()));
    augmented.requireIntact(outputs.get("augment").directory());
    for (ShardInfo shard : augmented.splits().get("train").shards()) {
      try (ShardReader reader = ShardReader.open(outputs.get("augment").resolve(shard.file()))) {
        var samples = reader.samples();
        while (samples.hasNext()) {
          Sample s = samples.next();
          assertEquals(List.of(DType.FLOAT32, Layout.CHW, 416, 416, 3),
              List.of(s.dtype(), s.layout(), s.height(), s.width(), s.channels()), s.id());
          for (Box box : s.boxes()) {
            assertEquals(null, box.problem(416, 416), s.id() + " box " + box + " lies inside the 416x416 square");
          }
        }
      }
    }
    System.out.println("[runner-contract] " + pipelineArgs() + " into " + root("bccd") + ": bccd augment digest "
        + augmented.digest() + ", ingest digest " + actual.get("ingest").digest());
    assertSameShards(reference.get("ingest"), actual.get("ingest"));
    assertSameShards(reference.get("augment"), augmented);
  }

  /**
   * Synthetic digits (2 shards of 30 per split), preprocessed, a small MLP trained one epoch and evaluated on
   * {@code test} in batches of 16, so every shard ends with a partial batch.
   */
  public static Experiment trainAndEvaluate(String name) {
    return Experiment.named(name).seed(3)
        .stage("source", SyntheticDigits.of(2, 30))
        .stage("preprocess", Preprocess.normalize(0.5, 0.25), after("source"))
        .stage("train", Train.classifier(Models.mlp(16).withInput(1, 20, 20)).epochs(1).batchSize(20),
            after("preprocess"))
        .stage("evaluate", new Evaluate(new EvaluateSpec("test", 16, EvaluateSpec.DEFAULT_METRICS)),
            after("train", "preprocess"))
        .build();
  }

  @Test
  void evaluatesATrainedModelToTheDirectRunnersMetrics() throws Exception {
    Experiment experiment = trainAndEvaluate("runner-contract-evaluate");

    RunResult reference = runStages(experiment, "direct", DIRECT_CHECKED);
    // Training is not byte-for-byte repeatable, so the runner under test evaluates the reference's model: its
    // home starts with the reference's artifacts up to train (served as cached, verified against their digests).
    Engine engine = new Engine(dir.resolve("runner"));
    for (String stage : List.of("source", "preprocess", "train")) {
      Artifact artifact = reference.artifacts().get(stage);
      copyTree(artifact.directory(), engine.store.location(artifact.key()));
    }
    engine.options = engine.options.withPipelineArgs(pipelineArgs());
    RunResult actual = engine.run(experiment);

    assertEquals(RunOutcome.SUCCEEDED, actual.status(), pipelineArgs() + ": " + actual.run().stages);
    assertEquals(StageStatus.CACHED, actual.run().stages.get("train").status, "the reference's model");
    assertEquals(StageStatus.SUCCEEDED, actual.run().stages.get("evaluate").status, "evaluated on the runner");
    Artifact expected = reference.artifacts().get("evaluate");
    Artifact evaluated = actual.artifacts().get("evaluate");
    assertEquals(60, evaluated.manifest().itemCount(), "every test sample is classified once");
    assertEquals(60, PredictionsFile.read(evaluated.resolve("predictions.arrow")).size());
    assertEquals(Files.readString(expected.resolve("metrics.json")),
        Files.readString(evaluated.resolve("metrics.json")), "metrics as on the DirectRunner");
    assertEquals(Digests.sha256Hex(expected.resolve("predictions.arrow")),
        Digests.sha256Hex(evaluated.resolve("predictions.arrow")), "per-sample probabilities as on the DirectRunner");
    assertEquals(reference.run().stages.get("evaluate").summary, actual.run().stages.get("evaluate").summary);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }

  private static RunResult runStages(Experiment experiment, Path home, List<String> args) {
    Engine engine = new Engine(home);
    engine.options = engine.options.withPipelineArgs(args);
    RunResult result = engine.run(experiment);
    assertEquals(RunOutcome.SUCCEEDED, result.status(), args + ": " + result.run().stages);
    return result;
  }

  private RunResult runStages(Experiment experiment, String name, List<String> args) {
    return runStages(experiment, dir.resolve(name), args);
  }

  /** Runs the experiment in a fresh home {@code dir/name}; returns each stage's dataset manifest. */
  private Map<String, DatasetManifest> run(Experiment experiment, String name, List<String> args)
      throws IOException {
    RunResult result = runStages(experiment, dir.resolve(name), args);
    outputs = result.artifacts();
    Map<String, DatasetManifest> manifests = new TreeMap<>();
    for (Map.Entry<String, Artifact> artifact : result.artifacts().entrySet()) {
      manifests.put(artifact.getKey(), DatasetManifest.read(artifact.getValue().directory()));
    }
    return manifests;
  }

  /**
   * Runs the experiment on the runner under test in a fresh home {@code dir/name} with its artifact root
   * {@code s3://contract/<name>} in the bucket (the S3 arguments go to the workers as pipeline options, as they
   * would to the workers of a cluster); checks that it succeeded and that the workers wrote the artifacts of the
   * Beam stages {@code beamStages} into the bucket, not on this machine.
   */
  private RunResult runInBucket(Experiment experiment, String name, String... beamStages) {
    List<String> args = new ArrayList<>(pipelineArgs());
    args.addAll(s3.pipelineArgs());
    // Beam's S3 writer holds a heap buffer of this size per open file, 64 MB by default when the JVM that computes
    // the default has 512 MB or more: a small TaskManager (two slots, ~400 MB heap) writing MNIST shards ran out
    // of heap with it. 5 MB is S3's smallest part; BCCD's shards (~12 MB) still go up in several parts.
    args.add("--s3UploadBufferSizeBytes=5242880");
    RunResult result = Tessera.run(experiment, TesseraOptions.in(dir.resolve(name)).withArtifactRoot(root(name))
        .withExecutor(ExecutorOptions.defaults().withPipelineArgs(args)));
    assertEquals(RunOutcome.SUCCEEDED, result.status(), args + ": " + result.run().stages);
    for (String stage : beamStages) {
      Path local = result.artifacts().get(stage).directory();
      assertFalse(Files.exists(local), stage + ": the workers wrote into the bucket, yet " + local
          + " exists on this machine");
    }
    return result;
  }

  /**
   * Downloads each artifact of a {@link #runInBucket} run from the bucket into {@code dir/<name>-copy/<stage>};
   * returns each stage's dataset manifest and makes the copies the {@link #outputs}.
   */
  private Map<String, DatasetManifest> downloaded(RunResult result, String name) throws IOException {
    RemoteArtifacts bucket = RemoteArtifacts.open(root(name), s3.pipelineArgs());
    Map<String, Artifact> copies = new TreeMap<>();
    Map<String, DatasetManifest> manifests = new TreeMap<>();
    for (Map.Entry<String, Artifact> artifact : result.artifacts().entrySet()) {
      Artifact written = artifact.getValue();
      Path copy = Files.createDirectories(dir.resolve(name + "-copy").resolve(artifact.getKey()));
      assertTrue(bucket.download(written.key(), copy), artifact.getKey() + ": published in the bucket");
      copies.put(artifact.getKey(), new Artifact(written.key(), copy, written.manifest()));
      manifests.put(artifact.getKey(), DatasetManifest.read(copy));
    }
    outputs = copies;
    return manifests;
  }

  /** What pyarrow reads of the {@link #downloaded} output of {@code stage}: "rows staging-objects-left". */
  private String pyarrowReads(String name, String stage) throws IOException {
    return BucketRuns.pyarrowReads(s3, dir, root(name), outputs.get(stage).key());
  }

  private static String root(String name) {
    return "s3://" + BUCKET + "/" + name;
  }

  private static void assertSameShards(DatasetManifest reference, DatasetManifest actual) {
    assertEquals(shardList(reference), shardList(actual), "shard names, rows and SHA-256 as on the DirectRunner");
    assertEquals(reference.digest(), actual.digest(), "dataset digest as on the DirectRunner");
  }

  private static List<String> shardList(DatasetManifest manifest) {
    List<String> shards = new ArrayList<>();
    for (ShardInfo shard : manifest.shards()) {
      shards.add(shard.file() + " " + shard.rows() + " " + shard.sha256());
    }
    return shards;
  }

  private static Sample sampleAt(Artifact artifact, String shard, int row) throws IOException {
    try (ShardReader reader = ShardReader.open(artifact.resolve(shard))) {
      var samples = reader.samples();
      for (int i = 0; i < row; i++) {
        samples.next();
      }
      return samples.next();
    }
  }

  private static long sum(byte[] pixels) {
    long sum = 0;
    for (byte b : pixels) {
      sum += b & 0xff;
    }
    return sum;
  }
}
