package dev.tessera.stages.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tessera.pipelines.Tessera;
import dev.tessera.pipelines.TesseraOptions;
import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.ExecutorOptions;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.testing.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs an experiment twice for tests of the artifact root in a bucket: with its root in {@code s3://team/tessera}
 * of a moto server (home {@code dir/remote}), and on the local file system alone (home {@code dir/local}).
 */
public final class BucketRuns {
  /** The root the bucket run uses; the server must have the bucket {@code team}. */
  public static final String ROOT = "s3://team/tessera";

  private BucketRuns() {}

  /**
   * Runs both, checks both succeeded and that each of {@code stages} wrote into the bucket (this machine has no
   * copy of its artifact) the bytes of the local run (equal digests); returns the bucket run.
   */
  public static RunResult assertBucketRunMatchesLocal(Experiment experiment, Path dir, MotoServer s3,
      String... stages) {
    TesseraOptions remote = TesseraOptions.in(dir.resolve("remote")).withArtifactRoot(ROOT)
        .withExecutor(ExecutorOptions.defaults().withPipelineArgs(s3.pipelineArgs()));
    RunResult inBucket = Tessera.run(experiment, remote);
    RunResult local = Tessera.run(experiment, TesseraOptions.in(dir.resolve("local")));
    assertEquals(RunOutcome.SUCCEEDED, inBucket.status(), inBucket.run().stages.toString());
    assertEquals(RunOutcome.SUCCEEDED, local.status(), local.run().stages.toString());
    for (String stage : stages) {
      Artifact written = inBucket.artifacts().get(stage);
      assertEquals(local.artifacts().get(stage).digest(), written.digest(), stage + ": the bytes of a local run");
      assertFalse(Files.exists(written.directory()), stage + ": the workers wrote into the bucket, yet "
          + written.directory() + " exists on this machine");
    }
    return inBucket;
  }
}
