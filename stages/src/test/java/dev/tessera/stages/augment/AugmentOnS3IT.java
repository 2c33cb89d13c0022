package dev.tessera.stages.augment;

import static dev.tessera.pipelines.dag.Experiment.after;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.testing.MotoServer;
import dev.tessera.stages.testing.BucketRuns;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mosaic augment stage with its artifact root in a bucket of a real S3-compatible server (moto on 127.0.0.1):
 * its workers read the input shards from the bucket and write the mosaics there, and the artifact (shards,
 * manifest, preview) has the digest of the same run on a local file system.
 */
class AugmentOnS3IT {
  @TempDir Path dir;

  @Test
  void mosaicsWrittenIntoTheBucketHaveTheDigestOfALocalRun() throws Exception {
    try (MotoServer s3 = MotoServer.start(dir.resolve("s3"))) {
      s3.createBucket("team");
      DetectionAugment augment = new DetectionAugment(DetectionAugment.letterbox(416).samplesPerShard(4).spec()
          .withMosaic(List.of("train"), 1.0, 640, 320));
      Experiment experiment = Experiment.named("augment-in-bucket").seed(7)
          .stage("source", SyntheticDetections.of(12, 6))
          .stage("augment", augment, after("source"))
          .build();
      BucketRuns.assertBucketRunMatchesLocal(experiment, dir, s3, "augment");
    }
  }
}
