package dev.tessera.stages.segmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tessera.pipelines.Tessera;
import dev.tessera.pipelines.TesseraOptions;
import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.artifact.Digests;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.exec.StageStatus;
import dev.tessera.pipelines.testing.MotoServer;
import dev.tessera.stages.testing.BucketRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image + mask ingest and evaluate-segmentation with the artifact root in a bucket of a real S3-compatible server
 * (moto on 127.0.0.1): the ingest workers write the pairs' shards into the bucket, the evaluate workers read them
 * there with the U-Net a local run trained, and the metrics and the overlay equal that local run's.
 */
class EvaluateSegmentationOnS3IT {
  @TempDir Path dir;

  @Test
  void masksIngestedIntoTheBucketAreEvaluatedThereToTheMetricsOfALocalRun() throws Exception {
    Experiment experiment = EvaluateSegmentationTest.experiment(EvaluateSegmentationTest.pairs(dir.resolve("discs"),
        12));
    RunResult local = Tessera.run(experiment, TesseraOptions.in(dir.resolve("local")));
    assertEquals(RunOutcome.SUCCEEDED, local.status(), local.run().stages.toString());
    try (MotoServer s3 = MotoServer.start(dir.resolve("s3"))) {
      s3.createBucket("team");
      RunResult inBucket = BucketRuns.runInBucketWith(local, experiment, dir, s3, "train");

      assertEquals(StageStatus.SUCCEEDED, inBucket.run().stages.get("ingest").status);
      assertEquals(local.artifacts().get("ingest").digest(), inBucket.artifacts().get("ingest").digest());
      assertFalse(Files.exists(inBucket.artifacts().get("ingest").directory()), "the pairs are in the bucket only");
      assertEquals(List.of(), BucketRuns.staged(s3), "the masks the workers handed to the driver are gone");
      Artifact expected = local.artifacts().get("evaluate");
      Artifact evaluated = inBucket.artifacts().get("evaluate");
      assertEquals(Files.readString(expected.resolve("metrics.json")),
          Files.readString(evaluated.resolve("metrics.json")));
      assertEquals(Digests.sha256Hex(expected.resolve(EvaluateSegmentation.OVERLAY)),
          Digests.sha256Hex(evaluated.resolve(EvaluateSegmentation.OVERLAY)), "the same predicted masks drawn");
      assertEquals(local.run().stages.get("evaluate").summary, inBucket.run().stages.get("evaluate").summary);
    }
  }
}
