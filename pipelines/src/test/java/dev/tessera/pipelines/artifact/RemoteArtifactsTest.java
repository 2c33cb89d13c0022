package dev.tessera.pipelines.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.beam.BeamPipelines;
import dev.tessera.pipelines.data.ShardReader;
import dev.tessera.pipelines.data.ShardWriter;
import dev.tessera.pipelines.data.ShardWriterSettings;
import dev.tessera.pipelines.testing.MotoServer;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The artifact store mirrored to {@code s3://} through Beam's S3 file system, against a real S3-compatible server
 * (moto) on 127.0.0.1: artifacts published on one machine are served, verified, on another; an upload that died
 * before its manifest is invisible; a changed remote copy is refused; a missing bucket and refused credentials
 * fail at once, naming the bucket and the fix, and a worker that meets either later says so.
 */
class RemoteArtifactsTest {
  private static final String KEY = "cd".repeat(32);
  @TempDir static Path serverDir;
  private static MotoServer s3;
  @TempDir Path dir;

  @BeforeAll
  static void startServer() {
    s3 = MotoServer.start(serverDir);
    s3.createBucket("tessera");
  }

  @AfterAll
  static void stopServer() {
    if (s3 != null) {
      s3.close();
    }
  }

  private static Artifact publishShards(ArtifactStore store) throws Exception {
    Path staging = store.newStaging();
    Files.createDirectories(staging.resolve("train"));
    Files.write(staging.resolve("train/train-00000.arrow"), new byte[] {1, 2, 3, 4});
    Files.writeString(staging.resolve("shards.json"), "{\"rows\":4}");
    return store.publish(staging, KEY, "dataset", 4, "run-1", "ingest", Map.of());
  }

  @Test
  void anArtifactPublishedOnOneMachineIsServedVerifiedOnAnother() throws Exception {
    String root = "s3://tessera/shared-" + dir.getFileName();
    ArtifactStore first = new ArtifactStore(dir.resolve("first"), RemoteArtifacts.open(root, s3.pipelineArgs()));
    Artifact published = publishShards(first);

    assertEquals(List.of("manifest.json", "shards.json", "train/train-00000.arrow"), remoteFiles(root, KEY));
    ArtifactStore second = new ArtifactStore(dir.resolve("second"), RemoteArtifacts.open(root, s3.pipelineArgs()));
    Verification served = second.verify(KEY);
    assertTrue(served.usable(), served.reason());
    Artifact copy = served.artifact().orElseThrow();
    assertEquals(published.digest(), copy.digest());
    assertEquals(dir.resolve("second/artifacts").resolve(KEY), copy.directory());
    assertEquals("{\"rows\":4}", Files.readString(copy.resolve("shards.json")));
    assertEquals("run-1", copy.manifest().runId());
  }

  @Test
  void anUploadKilledBeforeItsManifestIsInvisible() throws Exception {
    String root = "s3://tessera/killed-" + dir.getFileName();
    RemoteArtifacts remote = RemoteArtifacts.open(root, s3.pipelineArgs());
    // What a process killed mid-upload leaves: some of the artifact's objects, and no manifest.
    write(root + "/artifacts/" + KEY + "/train/train-00000.arrow", "half a shard");

    Verification verification = new ArtifactStore(dir.resolve("home"), remote).verify(KEY);
    assertFalse(verification.usable());
    assertEquals("no artifact in the store", verification.reason());
  }

  @Test
  void filesWorkersStagedOnTheRootArePublishedThereWithTheDigestOfTheSameLocalTree() throws Exception {
    String root = "s3://tessera/staged-" + dir.getFileName();
    ArtifactStore store = new ArtifactStore(dir.resolve("first"), RemoteArtifacts.open(root, s3.pipelineArgs()));
    String staged = store.newRemoteStaging(KEY, 1).orElseThrow();
    assertTrue(staged.startsWith(root + "/staging/" + KEY + "/1-"), staged);
    write(staged + "train/train-00000.arrow", "shard bytes");
    Path local = store.newStaging();
    Files.writeString(local.resolve("shards.json"), "{\"rows\":4}");

    Artifact published = store.publish(local, staged, KEY, "dataset", 4, "run-1", "preprocess", Map.of());

    assertEquals(List.of("manifest.json", "shards.json", "train/train-00000.arrow"), remoteFiles(root, KEY));
    assertEquals(Map.of(), store.remote().orElseThrow().list(staged), "the staged objects were moved");
    assertFalse(Files.exists(published.directory()), "this machine keeps no copy");
    assertFalse(Files.exists(local), "nor the local staging directory");
    Path same = dir.resolve("same");
    Files.createDirectories(same.resolve("train"));
    Files.writeString(same.resolve("train/train-00000.arrow"), "shard bytes");
    Files.writeString(same.resolve("shards.json"), "{\"rows\":4}");
    assertEquals(Digests.ofTree(same, List.of()), published.digest(), "the digest of the same files in a folder");
    Artifact copy = store.localize(published);
    assertEquals(published.digest(), copy.digest());
    assertEquals("shard bytes", Files.readString(copy.resolve("train/train-00000.arrow")));
  }

  @Test
  void aStageKilledBeforePublishingLeavesNothingVisible() throws Exception {
    String root = "s3://tessera/unpublished-" + dir.getFileName();
    ArtifactStore store = new ArtifactStore(dir.resolve("first"), RemoteArtifacts.open(root, s3.pipelineArgs()));
    // What workers of a stage whose process was killed leave: finished shards in its staging folder, no manifest.
    write(store.newRemoteStaging(KEY, 1).orElseThrow() + "train/train-00000.arrow", "shard bytes");

    ArtifactStore other = new ArtifactStore(dir.resolve("other"), RemoteArtifacts.open(root, s3.pipelineArgs()));
    assertFalse(other.verify(KEY).usable());
    assertEquals(List.of(), remoteFiles(root, KEY));
  }

  @Test
  void aShardUploadThatNeverFinishesLeavesNoObject() throws Exception {
    String root = "s3://tessera/interrupted-" + dir.getFileName();
    RemoteArtifacts.open(root, s3.pipelineArgs());
    ResourceId shard = FileSystems.matchNewResource(root + "/staging/x/train-00000.arrow", false);
    try (ShardWriter writer = ShardWriter.create(shard, ShardWriterSettings.of("d", List.of()), null)) {
      writer.write(Sample.ofUint8("d/0", new byte[] {1, 2, 3, 4}, 2, 2, 1, Layout.HWC, null, "test", "train"));
      // A worker interrupted here: close() without finish().
    }
    assertEquals(MatchResult.Status.NOT_FOUND, FileSystems.match(shard.toString()).status());

    try (ShardWriter writer = ShardWriter.create(shard, ShardWriterSettings.of("d", List.of()), null)) {
      writer.write(Sample.ofUint8("d/0", new byte[] {1, 2, 3, 4}, 2, 2, 1, Layout.HWC, null, "test", "train"));
      writer.finish();
    }
    try (ShardReader reader = ShardReader.open(shard, null)) {
      assertEquals("d/0", reader.samples().next().id(), "a finished shard is read back from the bucket");
    }
  }

  @Test
  void aRemoteCopyWhoseBytesChangedIsRefused() throws Exception {
    String root = "s3://tessera/changed-" + dir.getFileName();
    publishShards(new ArtifactStore(dir.resolve("first"), RemoteArtifacts.open(root, s3.pipelineArgs())));
    write(root + "/artifacts/" + KEY + "/train/train-00000.arrow", "other bytes");

    ArtifactStore second = new ArtifactStore(dir.resolve("second"), RemoteArtifacts.open(root, s3.pipelineArgs()));
    Verification verification = second.verify(KEY);
    assertFalse(verification.usable());
    assertTrue(verification.reason().startsWith("its copy in " + root + " changed: digest sha256:"),
        verification.reason());
    assertFalse(Files.exists(dir.resolve("second/artifacts").resolve(KEY)), "nothing installed locally");
  }

  @Test
  void aMissingBucketIsNamedWithTheFix() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RemoteArtifacts.open("s3://no-such-bucket/runs", s3.pipelineArgs()));
    assertEquals("artifact root s3://no-such-bucket/runs: the bucket 'no-such-bucket' does not exist. Create it "
        + "(aws s3 mb s3://no-such-bucket, adding --endpoint-url for an S3-compatible server) or set "
        + "TESSERA_ARTIFACT_ROOT (--artifact-root) to an existing bucket", e.getMessage());
  }

  @Test
  void refusedCredentialsAreNamedWithTheFix() {
    try (MotoServer strict = MotoServer.withAuthentication(dir.resolve("strict"))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> RemoteArtifacts.open("s3://tessera/runs", strict.pipelineArgs()));
      assertTrue(e.getMessage().startsWith("artifact root s3://tessera/runs: the bucket 'tessera' refused the "
          + "credentials ("), e.getMessage());
      assertTrue(e.getMessage().endsWith("). Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE, "
          + "~/.aws/credentials) to a key that may read, write and delete under s3://tessera/runs"), e.getMessage());
    }
  }

  @Test
  void aWorkerWritingIntoAMissingBucketNamesItInItsError() {
    FileSystems.setDefaultPipelineOptions(BeamPipelines.options(s3.pipelineArgs()));
    ResourceId shard = FileSystems.matchNewResource("s3://no-such-bucket/runs/train-00000.arrow", false);
    IOException e = assertThrows(IOException.class,
        () -> ShardWriter.create(shard, ShardWriterSettings.of("digits", List.of()), null));
    assertTrue(e.getMessage().matches("a worker on .+ cannot write s3://no-such-bucket/runs/train-00000\\.arrow on "
        + "the artifact root: the bucket 'no-such-bucket' does not exist\\. Create it .*"), e.getMessage());
  }

  @Test
  void aWorkerWhoseCredentialsAreRefusedSaysSo() {
    try (MotoServer strict = MotoServer.withAuthentication(dir.resolve("strict"))) {
      FileSystems.setDefaultPipelineOptions(BeamPipelines.options(strict.pipelineArgs()));
      ResourceId shard = FileSystems.matchNewResource("s3://tessera/runs/train-00000.arrow", false);
      IOException e = assertThrows(IOException.class,
          () -> ShardWriter.create(shard, ShardWriterSettings.of("digits", List.of()), null));
      assertTrue(e.getMessage().matches("a worker on .+ cannot write s3://tessera/runs/train-00000\\.arrow on the "
          + "artifact root: the bucket 'tessera' refused the credentials \\(.*\\)\\. Set AWS_ACCESS_KEY_ID .*"),
          e.getMessage());
    } finally {
      FileSystems.setDefaultPipelineOptions(BeamPipelines.options(s3.pipelineArgs()));
    }
  }

  @Test
  void aLocalFolderIsNoRemoteRoot() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RemoteArtifacts.open("/tmp/artifacts", List.of()));
    assertEquals("the artifact root (TESSERA_ARTIFACT_ROOT) must be a remote URI with a bucket, such as "
        + "s3://bucket/prefix, but was '/tmp/artifacts' (for a local folder set TESSERA_HOME instead)",
        e.getMessage());
  }

  private static void write(String uri, String text) throws Exception {
    try (OutputStream out = Channels.newOutputStream(
        FileSystems.create(FileSystems.matchNewResource(uri, false), MimeTypes.BINARY))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static List<String> remoteFiles(String root, String key) throws Exception {
    String prefix = root + "/artifacts/" + key + "/";
    MatchResult match = FileSystems.match(prefix + "**");
    if (match.status() == MatchResult.Status.NOT_FOUND) {
      return List.of();
    }
    return match.metadata().stream().map(m -> m.resourceId().toString().substring(prefix.length()))
        .sorted().toList();
  }
}
