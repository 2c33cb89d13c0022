package dev.tessera.stages.detection.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.pipelines.Tessera;
import dev.tessera.pipelines.TesseraOptions;
import dev.tessera.pipelines.artifact.Artifact;
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
 * evaluate-detection with the artifact root in a bucket of a real S3-compatible server (moto on 127.0.0.1): its
 * workers read the test images' shards from the bucket and run the detector a local run trained, from their
 * machine's verified copy; the COCO and VOC figures and the detections equal that local run's.
 */
class EvaluateDetectionOnS3IT {
  @TempDir Path dir;

  @Test
  void detectionsOfShardsInTheBucketEqualALocalRunsWithTheSameDetector() throws Exception {
    Experiment experiment = EvaluateDetectionTest.experiment();
    RunResult local = Tessera.run(experiment, TesseraOptions.in(dir.resolve("local")));
    assertEquals(RunOutcome.SUCCEEDED, local.status(), () -> EvaluateDetectionTest.errors(local));
    try (MotoServer s3 = MotoServer.start(dir.resolve("s3"))) {
      s3.createBucket("team");
      RunResult inBucket = BucketRuns.runInBucketWith(local, experiment, dir, s3, "train-detector");

      assertEquals(StageStatus.SUCCEEDED, inBucket.run().stages.get("evaluate").status);
      assertEquals(List.of(), BucketRuns.staged(s3), "the results the workers handed to the driver are gone");
      Artifact expected = local.artifacts().get("evaluate");
      Artifact evaluated = inBucket.artifacts().get("evaluate");
      for (String file : List.of("metrics.json", "detections.json")) {
        assertEquals(Files.readString(expected.resolve(file)), Files.readString(evaluated.resolve(file)), file);
      }
      assertEquals(local.run().stages.get("evaluate").summary, inBucket.run().stages.get("evaluate").summary);
    }
  }
}
