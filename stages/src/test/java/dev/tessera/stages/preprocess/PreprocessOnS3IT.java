package dev.tessera.stages.preprocess;

import static dev.tessera.pipelines.dag.Experiment.after;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.pipelines.Tessera;
import dev.tessera.pipelines.TesseraOptions;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.ExecutorOptions;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.exec.StageStatus;
import dev.tessera.pipelines.testing.MotoServer;
import dev.tessera.pipelines.testing.PythonEnv;
import dev.tessera.stages.testing.SyntheticDigits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
      Files.writeString(script, String.join("\n",
          "import sys, pyarrow as pa, pyarrow.fs as fs",
          "s3 = fs.S3FileSystem(endpoint_override=sys.argv[1], scheme='http', access_key='testing',",
          "                     secret_key='testing', region='us-east-1')",
          "with s3.open_input_file(sys.argv[2]) as f:",
          "    table = pa.ipc.open_file(f).read_all()",
          "print(table.num_rows, table.column('id')[0].as_py(), table.column('height')[0].as_py())",
          ""));
      String out = PythonEnv.get().run(script, List.of(s3.endpoint().substring("http://".length()),
          "team/tessera/artifacts/" + key + "/train/train-00001.arrow"), Map.of());
      assertEquals("10 synthetic/train/00010 12", out.strip(), "pyarrow reads shard 1 of train from the bucket");
    }
  }
}
