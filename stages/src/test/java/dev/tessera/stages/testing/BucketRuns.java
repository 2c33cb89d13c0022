package dev.tessera.stages.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tessera.pipelines.Tessera;
import dev.tessera.pipelines.TesseraOptions;
import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.artifact.RemoteArtifacts;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.ExecutorOptions;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.exec.StageStatus;
import dev.tessera.pipelines.testing.MotoServer;
import dev.tessera.pipelines.testing.PythonEnv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs an experiment twice for tests of the artifact root in a bucket: with its root in {@code s3://team/tessera}
 * of a moto server (home {@code dir/remote}), and on the local file system alone (home {@code dir/local}).
 */
public final class BucketRuns {
  /** The root the bucket run uses; the server must have the bucket {@code team}. */
  public static final String ROOT = "s3://team/tessera";
  /**
   * The first lines of a pyarrow script that reads the bucket: {@code s3}, a pyarrow file system on the moto server
   * whose {@code host:port} is the script's first argument.
   */
  public static final List<String> PYARROW_S3 = List.of(
      "import sys, json, hashlib, pyarrow as pa, pyarrow.fs as fs",
      "s3 = fs.S3FileSystem(endpoint_override=sys.argv[1], scheme='http', access_key='testing',",
      "                     secret_key='testing', region='us-east-1')");

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

  /**
   * What pyarrow, the reference Arrow implementation, reads of the published dataset artifact {@code key} under
   * {@link #ROOT} in the bucket of {@code s3}: {@code "<rows> <staging objects>"}, the rows of every shard its
   * {@code shards.json} lists (each shard's bytes checked against the SHA-256 listed there) and how many objects
   * are left under {@code staging/}. The script is written into {@code dir}.
   */
  public static String pyarrowReads(MotoServer s3, Path dir, String key) throws IOException {
    return pyarrowReads(s3, dir, ROOT, key);
  }

  /** {@link #pyarrowReads(MotoServer, Path, String)} of an artifact under another {@code root}, {@code s3://...}. */
  public static String pyarrowReads(MotoServer s3, Path dir, String root, String key) throws IOException {
    Path script = dir.resolve("read_bucket_shards.py");
    Files.writeString(script, String.join("\n", PYARROW_S3) + "\n" + String.join("\n",
        "root = sys.argv[3] + '/artifacts/' + sys.argv[2] + '/'",
        "sel = fs.FileSelector(sys.argv[3], recursive=True)",
        "staging = [i.path for i in s3.get_file_info(sel) if '/staging/' in i.path and i.type == fs.FileType.File]",
        "manifest = json.loads(s3.open_input_stream(root + 'shards.json').read())",
        "ok = 0",
        "for split in manifest['splits'].values():",
        "    for shard in split['shards']:",
        "        data = s3.open_input_stream(root + shard['file']).read()",
        "        assert hashlib.sha256(data).hexdigest() == shard['sha256'], shard",
        "        ok += pa.ipc.open_file(pa.BufferReader(data)).read_all().num_rows",
        "print(ok, len(staging))",
        ""));
    String bucketPath = root.replaceFirst("^s3://", "").replaceAll("/+$", "");
    return PythonEnv.get().run(script, List.of(s3.endpoint().substring("http://".length()), key, bucketPath),
        Map.of()).strip();
  }

  /**
   * Runs {@code experiment} in a fresh home ({@code dir/remote}) whose artifact root is {@link #ROOT} in the bucket of
   * {@code s3}, after uploading there the artifacts of the stages {@code given} from the run {@code local} (a model
   * trained once: training is not byte-for-byte repeatable, so a run that evaluates it elsewhere is given it);
   * checks that the run succeeded and returns it.
   */
  public static RunResult runInBucketWith(RunResult local, Experiment experiment, Path dir, MotoServer s3,
      String... given) throws IOException {
    RemoteArtifacts root = RemoteArtifacts.open(ROOT, s3.pipelineArgs());
    for (String stage : given) {
      root.upload(local.artifacts().get(stage).directory(), local.artifacts().get(stage).key());
    }
    RunResult inBucket = Tessera.run(experiment, TesseraOptions.in(dir.resolve("remote")).withArtifactRoot(ROOT)
        .withExecutor(ExecutorOptions.defaults().withPipelineArgs(s3.pipelineArgs())));
    assertEquals(RunOutcome.SUCCEEDED, inBucket.status(), inBucket.run().stages.toString());
    for (String stage : given) {
      assertEquals(StageStatus.CACHED, inBucket.run().stages.get(stage).status, stage + ": the one given");
    }
    return inBucket;
  }

  /** Every object under {@link #ROOT}{@code /staging/}, by its path relative to that folder. */
  public static List<String> staged(MotoServer s3) throws IOException {
    return List.copyOf(RemoteArtifacts.open(ROOT, s3.pipelineArgs()).list(ROOT + "/staging/").keySet());
  }
}
