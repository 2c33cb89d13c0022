package dev.tessera.stages.ingest;

import static dev.tessera.pipelines.dag.Experiment.after;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.testing.MotoServer;
import dev.tessera.stages.preprocess.Preprocess;
import dev.tessera.stages.testing.BucketRuns;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MNIST's ingest and preprocess with the artifact root in a bucket of a real S3-compatible server (moto on
 * 127.0.0.1): the ingest workers write the shards into the bucket, the preprocess workers read them there and
 * write theirs, and both artifacts have the digests of the same run on a local file system.
 */
class IngestOnS3IT {
  @TempDir Path dir;

  @Test
  void mnistShardsWrittenIntoTheBucketHaveTheDigestsOfALocalRun() throws Exception {
    assumeTrue(System.getenv("TESSERA_DATA_MIRROR") != null,
        "TESSERA_DATA_MIRROR is not set: this test needs the MNIST files of the offline mirror");
    try (MotoServer s3 = MotoServer.start(dir.resolve("s3"))) {
      s3.createBucket("team");
      Experiment experiment = Experiment.named("mnist-in-bucket")
          .stage("ingest", new Ingest(new IngestSpec("mnist", "", SourceFormat.AUTO, 300, 600, false, false, null)))
          .stage("preprocess", Preprocess.normalize(0.1307, 0.3081), after("ingest"))
          .build();
      RunResult inBucket = BucketRuns.assertBucketRunMatchesLocal(experiment, dir, s3, "ingest", "preprocess");

      assertEquals(1_200, inBucket.artifacts().get("ingest").manifest().itemCount());
      assertEquals(1_200, inBucket.artifacts().get("preprocess").manifest().itemCount());
    }
  }
}
