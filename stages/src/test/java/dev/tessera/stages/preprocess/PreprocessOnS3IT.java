package dev.tessera.stages.preprocess;

import static dev.tessera.pipelines.dag.Experiment.after;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tessera.pipelines.Tessera;
import dev.tessera.pipelines.TesseraOptions;
import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.artifact.ArtifactStore;
import dev.tessera.pipelines.artifact.RemoteArtifacts;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.exec.ExecutorOptions;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.exec.StageStatus;
import dev.tessera.pipelines.testing.MotoServer;
import dev.tessera.pipelines.testing.PythonEnv;
import dev.tessera.stages.testing.BucketRuns;
import dev.tessera.stages.testing.SyntheticDigits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Beam preprocess run whose artifact root is a bucket of a real S3-compatible server (moto on 127.0.0.1): the
 * shards land in the bucket, where pyarrow reads them; a second machine (another Tessera home, same root) serves
 * every stage from the bucket, verified, with the same digests.
 */
class PreprocessOnS3IT {
  @TempDir Path dir;

  @Test
  void shardsWrittenToTheBucketServeAnotherHomeAndPyarrowReadsThem() throws Exception {
    try (MotoServer s3 = MotoServer.start(dir.resolve("s3"))) {
      s3.createBucket("team");
      String root = "s3://team/tessera";
      Experiment experiment = Experiment.named("preprocess-on-s3")
          .stage("source", SyntheticDigits.of(2, 10))
          .stage("preprocess", Preprocess.normalize(0.5, 0.25).resizedTo(12, 12), after("source"))
          .build();
      TesseraOptions options = TesseraOptions.in(dir.resolve("first")).withArtifactRoot(root)
          .withExecutor(ExecutorOptions.defaults().withPipelineArgs(s3.pipelineArgs()));

      RunResult first = Tessera.run(experiment, options);
      RunResult second = Tessera.run(experiment, options.withHome(dir.resolve("second/home")));

      assertEquals(RunOutcome.SUCCEEDED, first.status(), first.run().stages.toString());
      assertEquals(StageStatus.SUCCEEDED, first.run().stages.get("preprocess").status);
      assertEquals(RunOutcome.SUCCEEDED, second.status(), second.run().stages.toString());
      assertEquals(StageStatus.CACHED, second.run().stages.get("source").status);
      assertEquals(StageStatus.CACHED, second.run().stages.get("preprocess").status);
      assertEquals(first.artifacts().get("preprocess").digest(), second.artifacts().get("preprocess").digest());

      String key = first.artifacts().get("preprocess").key();
      Path script = dir.resolve("read_s3_shard.py");
      Files.writeString(script, String.join("\n", BucketRuns.PYARROW_S3) + "\n" + String.join("\n",
          "with s3.open_input_file(sys.argv[2]) as f:",
          "    table = pa.ipc.open_file(f).read_all()",
          "print(table.num_rows, table.column('id')[0].as_py(), table.column('height')[0].as_py())",
          ""));
      String out = PythonEnv.get().run(script, List.of(s3.endpoint().substring("http://".length()),
          "team/tessera/artifacts/" + key + "/train/train-00001.arrow"), Map.of());
      assertEquals("10 synthetic/train/00010 12", out.strip(), "pyarrow reads shard 1 of train from the bucket");
    }
  }

  @Test
  void workersWriteTheShardsIntoTheBucketWithTheDigestsOfALocalRun() throws Exception {
    try (MotoServer s3 = MotoServer.start(dir.resolve("s3"))) {
      s3.createBucket("team");
      Experiment experiment = Experiment.named("preprocess-in-bucket")
          .stage("source", SyntheticDigits.of(2, 10))
          .stage("preprocess", Preprocess.normalize(0.5, 0.25).resizedTo(12, 12), after("source"))
          .build();
      RunResult remote = BucketRuns.assertBucketRunMatchesLocal(experiment, dir, s3, "preprocess");

      // The workers wrote into the bucket: this machine's store never held the shards (no upload from here).
      Artifact written = remote.artifacts().get("preprocess");
      try (Stream<Path> tmp = Files.list(dir.resolve("remote/home/tmp"))) {
        assertEquals(List.of(), tmp.toList(), "no local staging left");
      }

      assertEquals("40 0", BucketRuns.pyarrowReads(s3, dir, written.key()),
          "pyarrow reads every shard (digests as listed) and no staging is left");

      // Another machine's train-like stage gets the files locally, verified against the manifest.
      ArtifactStore other = new ArtifactStore(dir.resolve("other"),
          RemoteArtifacts.open("s3://team/tessera", s3.pipelineArgs()));
      Artifact copy = other.localize(written);
      assertEquals(written.digest(), copy.digest());
      assertEquals(40, DatasetManifest.read(copy.directory()).totalRows());
    }
  }

  @Test
  void aStageThatFailsAfterItsWorkersWroteLeavesNothingVisible() throws Exception {
    try (MotoServer s3 = MotoServer.start(dir.resolve("s3"))) {
      s3.createBucket("team");
      Experiment experiment = Experiment.named("preprocess-fails")
          .stage("source", SyntheticDigits.of(2, 10))
          .stage("preprocess", new FailingPreprocess(), after("source"))
          .build();
      TesseraOptions options = TesseraOptions.in(dir.resolve("home")).withArtifactRoot("s3://team/tessera")
          .withExecutor(ExecutorOptions.defaults().withPipelineArgs(s3.pipelineArgs()));

      RunResult result = Tessera.run(experiment, options);

      assertEquals(StageStatus.FAILED, result.run().stages.get("preprocess").status);
      String key = result.run().stages.get("preprocess").cacheKey;
      RemoteArtifacts root = RemoteArtifacts.open("s3://team/tessera", s3.pipelineArgs());
      assertFalse(root.has(key), "no manifest for the failed stage");
      assertEquals(Map.of(), root.list("s3://team/tessera/artifacts/" + key + "/"));
      // The executor removes what was staged when the attempt failed; a worker of the failed job may still finish
      // a shard afterwards, which stays under staging/ and is never part of an artifact.
      assertEquals(List.of(), root.list("s3://team/tessera/staging/" + key + "/").keySet().stream()
          .filter(name -> name.endsWith("/early.arrow")).toList(), "the shard finished before the failure is gone");
      assertFalse(new ArtifactStore(dir.resolve("other"), root).verify(key).usable());
    }
  }
}
