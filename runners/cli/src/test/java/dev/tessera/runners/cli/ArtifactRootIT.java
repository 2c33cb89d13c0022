package dev.tessera.runners.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.testing.MotoServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code TESSERA_ARTIFACT_ROOT=s3://bucket/prefix} with {@code AWS_ENDPOINT_URL} pointing at a real S3-compatible
 * server (moto on 127.0.0.1): a second machine's run (another {@code TESSERA_HOME}) takes every stage from the
 * bucket; a bucket that does not exist stops {@code tessera run} with exit code 2 before any stage, naming it.
 */
class ArtifactRootIT {
  private static final Map<String, String> AWS = Map.of(
      "aws.accessKeyId", "testing", "aws.secretAccessKey", "testing", "aws.region", "us-east-1");
  @TempDir static Path serverDir;
  private static MotoServer s3;
  @TempDir Path dir;

  @BeforeAll
  static void startServer() {
    // The AWS SDK's credential chain reads these system properties (the CLI's users set AWS_ACCESS_KEY_ID, ...).
    AWS.forEach(System::setProperty);
    s3 = MotoServer.start(serverDir);
    s3.createBucket("team");
  }

  @AfterAll
  static void stopServer() {
    AWS.keySet().forEach(System::clearProperty);
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void aSecondHomeTakesEveryStageFromTheBucket() {
    StringWriter first = new StringWriter();
    assertEquals(0, run(dir.resolve("first"), "s3://team/demo", first), first.toString());
    StringWriter second = new StringWriter();
    assertEquals(0, run(dir.resolve("second"), "s3://team/demo", second), second.toString());
    for (String stage : new String[] {"numbers", "squares", "cubes", "sum"}) {
      assertTrue(second.toString().lines().anyMatch(l -> l.matches("\\s+" + stage + "\\s+cached\\s.*")),
          stage + " comes from the bucket:\n" + second);
    }
  }

  @Test
  void aMissingBucketStopsTheRunBeforeAnyStage() {
    StringWriter out = new StringWriter();
    assertEquals(2, run(dir.resolve("home"), "s3://no-such-bucket/demo", out), out.toString());
    assertTrue(out.toString().contains("error: artifact root s3://no-such-bucket/demo: the bucket 'no-such-bucket' "
        + "does not exist. Create it (aws s3 mb s3://no-such-bucket"), out.toString());
    assertTrue(!out.toString().contains("numbers"), "no stage ran:\n" + out);
  }

  @Test
  void theFlagWinsOverTheVariable() {
    StringWriter first = new StringWriter();
    assertEquals(0, run(dir.resolve("first"), "s3://team/flag", first), first.toString());
    StringWriter second = new StringWriter();
    assertEquals(0, run(dir.resolve("second"), "s3://no-such-bucket/demo", second, "--artifact-root",
        "s3://team/flag"), second.toString());
    assertTrue(second.toString().lines().anyMatch(l -> l.matches("\\s+sum\\s+cached\\s.*")),
        "the flag's root served the stage:\n" + second);
  }

  private static int run(Path machine, String root, StringWriter output, String... extra) {
    Map<String, String> env = new HashMap<>();
    env.put("TESSERA_HOME", machine.resolve(".tessera").toString());
    env.put("MLFLOW_TRACKING_URI", machine.resolve("mlruns").toString());
    env.put("TESSERA_ARTIFACT_ROOT", root);
    env.put("AWS_ENDPOINT_URL", s3.endpoint());
    PrintWriter writer = new PrintWriter(output, true);
    String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("run", "demo", "--plain"),
        java.util.Arrays.stream(extra)).toArray(String[]::new);
    return Main.run(args, env, writer, writer);
  }
}
