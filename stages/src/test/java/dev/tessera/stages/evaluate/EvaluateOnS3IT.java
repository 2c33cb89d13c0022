package dev.tessera.stages.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.Tessera;
import dev.tessera.pipelines.TesseraOptions;
import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.artifact.ArtifactStore;
import dev.tessera.pipelines.artifact.Digests;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.exec.StageStatus;
import dev.tessera.pipelines.testing.MotoServer;
import dev.tessera.stages.testing.BeamStagesContract;
import dev.tessera.stages.testing.BucketRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluate stage with its artifact root in a bucket of a real S3-compatible server (moto on 127.0.0.1): its
 * workers read the test shards from the bucket (the preprocess workers wrote them there; this machine never had
 * them) and load the model from their machine's verified copy of it; the metrics, the per-sample probabilities
 * and the summary equal those of the same model evaluated on a local file system alone (training is not
 * byte-for-byte repeatable, so the bucket run is given the local run's model).
 */
class EvaluateOnS3IT {
  @TempDir Path dir;

  @Test
  void workersReadTheShardsFromTheBucketAndReportTheMetricsOfALocalEvaluation() throws Exception {
    Experiment experiment = BeamStagesContract.trainAndEvaluate("evaluate-in-bucket");
    // The reference: everything on this machine's file system, the model trained here.
    RunResult local = Tessera.run(experiment, TesseraOptions.in(dir.resolve("local")));
    assertEquals(RunOutcome.SUCCEEDED, local.status(), local.run().stages.toString());
    try (MotoServer s3 = MotoServer.start(dir.resolve("s3"))) {
      s3.createBucket("team");
      // Another machine whose bucket has the source and that model, but not the preprocessed shards: its
      // preprocess workers write them into the bucket, and since train is served from the bucket, nothing on
      // this machine reads them before evaluate's workers do, from the bucket.
      Path modelCopy = ModelCopy.cached(local.artifacts().get("train").digest());
      if (Files.exists(modelCopy)) {
        ArtifactStore.deleteTree(modelCopy); // left by an earlier run of this test on this machine
      }
      RunResult inBucket = BucketRuns.runInBucketWith(local, experiment, dir, s3, "source", "train");

      assertEquals(StageStatus.SUCCEEDED, inBucket.run().stages.get("preprocess").status);
      assertEquals(local.artifacts().get("preprocess").digest(), inBucket.artifacts().get("preprocess").digest());
      assertEquals(StageStatus.SUCCEEDED, inBucket.run().stages.get("evaluate").status);
      assertFalse(Files.exists(inBucket.artifacts().get("preprocess").directory()),
          "the evaluated shards are in the bucket only");
      assertTrue(Files.isDirectory(modelCopy), "the workers loaded the model from a copy fetched from the bucket");
      assertEquals(List.of(), BucketRuns.staged(s3), "the files the workers handed to the driver are gone");

      Artifact expected = local.artifacts().get("evaluate");
      Artifact evaluated = inBucket.artifacts().get("evaluate");
      assertEquals(60, evaluated.manifest().itemCount(), "every test sample is classified once");
      assertEquals(Files.readString(expected.resolve("metrics.json")),
          Files.readString(evaluated.resolve("metrics.json")), "metrics as on the local file system");
      assertEquals(Digests.sha256Hex(expected.resolve("predictions.arrow")),
          Digests.sha256Hex(evaluated.resolve("predictions.arrow")), "per-sample probabilities as locally");
      assertEquals(local.run().stages.get("evaluate").summary, inBucket.run().stages.get("evaluate").summary);
    }
  }
}
