package dev.tessera.stages.ingest;

import static dev.tessera.pipelines.dag.Experiment.after;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tessera.pipelines.Tessera;
import dev.tessera.pipelines.TesseraOptions;
import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.artifact.RemoteArtifacts;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.ExecutorOptions;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.exec.StageStatus;
import dev.tessera.pipelines.testing.MotoServer;
import dev.tessera.stages.augment.DetectionAugment;
import dev.tessera.stages.testing.BucketRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest of image datasets with the artifact root in a bucket of a real S3-compatible server (moto on
 * 127.0.0.1): the workers decode the images on this machine and write the shards and the dead-letter file into
 * the bucket themselves, and the artifacts have the digests of the same run on a local file system with the
 * DirectRunner; pyarrow reads the shards from the bucket.
 */
class ImageIngestOnS3IT {
  @TempDir Path dir;

  @Test
  void bccdMosaicPathInTheBucketHasTheDigestsOfALocalRun() throws Exception {
    String mirror = System.getenv("TESSERA_DATA_MIRROR");
    assumeTrue(mirror != null && Files.isDirectory(Path.of(mirror, "bccd")),
        "TESSERA_DATA_MIRROR is not set or has no bccd/: this test ingests the real BCCD VOC files of the mirror");
    try (MotoServer s3 = MotoServer.start(dir.resolve("s3"))) {
      s3.createBucket("team");
      Ingest ingest = new Ingest(IngestSpec.of("bccd").withLimit(4).withSamplesPerShard(3));
      DetectionAugment augment = new DetectionAugment(DetectionAugment.letterbox(160).samplesPerShard(4).spec()
          .withMosaic(List.of("train"), 1.0, 320, 160));
      Experiment experiment = Experiment.named("bccd-mosaic-in-bucket").seed(11)
          .stage("ingest", ingest)
          .stage("augment", augment, after("ingest"))
          .build();
      RunResult inBucket = BucketRuns.assertBucketRunMatchesLocal(experiment, dir, s3, "ingest", "augment");

      Artifact ingested = inBucket.artifacts().get("ingest");
      assertEquals(12, ingested.manifest().itemCount(), "4 images of each of train, val and test");
      assertEquals("12 0", BucketRuns.pyarrowReads(s3, dir, ingested.key()), "pyarrow reads the ingested shards");
      assertEquals("12 0", BucketRuns.pyarrowReads(s3, dir, inBucket.artifacts().get("augment").key()),
          "pyarrow reads the mosaics");
    }
  }

  @Test
  void classFoldersWithACorruptImageGoToTheBucketWithTheirDeadLetter() throws Exception {
    Path root = IngestFixtures.folders(dir.resolve("folders"));
    Path corrupt = root.resolve("train/dogs/2.png");
    byte[] png = Files.readAllBytes(corrupt);
    Files.write(corrupt, Arrays.copyOf(png, png.length / 2));
    try (MotoServer s3 = MotoServer.start(dir.resolve("s3"))) {
      s3.createBucket("team");
      Experiment experiment = Experiment.named("folders-in-bucket")
          .stage("ingest", Ingest.local("pets", root.toString()).samplesPerShard(2))
          .build();
      RunResult inBucket = BucketRuns.assertBucketRunMatchesLocal(experiment, dir, s3, "ingest");

      assertEquals(3, inBucket.artifacts().get("ingest").manifest().itemCount());
      assertEquals(1.0, inBucket.summary("ingest", "dead_letter"));
      String key = inBucket.artifacts().get("ingest").key();
      // The file systems now have the local run's options: opening the root points them at the bucket again.
      RemoteArtifacts bucket = RemoteArtifacts.open(BucketRuns.ROOT, s3.pipelineArgs());
      List<DeadLetter> letters = DeadLetters.read(bucket.location(key));
      assertEquals(List.of("pets/train/dogs/2"), letters.stream().map(DeadLetter::id).toList());
      assertEquals("3 0", BucketRuns.pyarrowReads(s3, dir, key));
    }
  }

  @Test
  void aWorkerThatCannotReachTheBucketSaysSoInTheStageError() throws Exception {
    Path root = IngestFixtures.folders(dir.resolve("folders"));
    try (MotoServer s3 = MotoServer.start(dir.resolve("s3"))) {
      s3.createBucket("team");
      Experiment experiment = Experiment.named("bucket-cut-off")
          .stage("ingest", new CutOffIngest(Ingest.local("pets", root.toString()), s3))
          .build();
      RunResult result = Tessera.run(experiment, TesseraOptions.in(dir.resolve("home"))
          .withArtifactRoot(BucketRuns.ROOT)
          .withExecutor(ExecutorOptions.defaults().withPipelineArgs(s3.pipelineArgs())));

      assertEquals(StageStatus.FAILED, result.run().stages.get("ingest").status);
      String error = result.run().stages.get("ingest").error;
      assertTrue(error.contains("a worker on "), error);
      assertTrue(error.contains(" cannot write " + BucketRuns.ROOT + "/staging/"), error);
      assertTrue(error.contains("/train/train-00000.arrow on the artifact root: "), error);
      assertTrue(error.contains("the storage server for the bucket 'team' cannot be reached"), error);
      assertTrue(error.contains("Check --endpoint"), error);
    }
  }
}
