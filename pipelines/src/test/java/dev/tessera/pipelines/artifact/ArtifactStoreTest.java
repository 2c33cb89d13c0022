package dev.tessera.pipelines.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoreTest {
  private static final String KEY = "ab".repeat(32);
  @TempDir Path home;

  private Artifact publishHello(ArtifactStore store) throws Exception {
    Path staging = store.newStaging();
    Files.writeString(staging.resolve("hello.txt"), "hello");
    Files.createDirectories(staging.resolve("sub"));
    Files.writeString(staging.resolve("sub/world.txt"), "world");
    return store.publish(staging, KEY, "text", 2, "run-1", "greet", Map.of("lang", "en"));
  }

  @Test
  void publishedArtifactHasManifestAndVerifies() throws Exception {
    ArtifactStore store = new ArtifactStore(home);
    Artifact artifact = publishHello(store);
    Verification verification = store.verify(KEY);
    assertTrue(verification.usable(), verification.reason());
    Manifest manifest = verification.artifact().orElseThrow().manifest();
    assertEquals("text", manifest.kind());
    assertEquals(2, manifest.itemCount());
    assertEquals("run-1", manifest.runId());
    assertEquals("greet", manifest.stage());
    assertEquals(artifact.digest(), manifest.digest());
    assertTrue(manifest.digest().startsWith("sha256:"));
    assertEquals("hello", Files.readString(verification.artifact().orElseThrow().resolve("hello.txt")));
  }

  @Test
  void digestCoversPathsAndBytes() throws Exception {
    Path a = Files.createDirectories(home.resolve("a"));
    Path b = Files.createDirectories(home.resolve("b"));
    Files.writeString(a.resolve("x.txt"), "1");
    Files.writeString(b.resolve("y.txt"), "1");
    assertFalse(Digests.ofTree(a, java.util.List.of()).equals(Digests.ofTree(b, java.util.List.of())),
        "same bytes under another name is different content");
  }

  @Test
  void deletedFileMakesArtifactUnusable() throws Exception {
    ArtifactStore store = new ArtifactStore(home);
    Artifact artifact = publishHello(store);
    Files.delete(artifact.resolve("sub/world.txt"));
    Verification verification = store.verify(KEY);
    assertFalse(verification.usable());
    assertTrue(verification.reason().startsWith("its content changed"), verification.reason());
  }

  @Test
  void missingManifestMakesArtifactUnusable() throws Exception {
    ArtifactStore store = new ArtifactStore(home);
    Artifact artifact = publishHello(store);
    Files.delete(artifact.resolve(Manifest.FILE_NAME));
    assertTrue(store.verify(KEY).reason().startsWith("its manifest is missing or unreadable"));
  }

  @Test
  void interruptedWriteLeavesNothingVisibleAndIsCleanedUp() throws Exception {
    ArtifactStore store = new ArtifactStore(home);
    // A writer that died half-way: its staging directory carries the pid of a process that no longer exists.
    Path orphan = Files.createDirectories(home.resolve("tmp").resolve(deadPid() + "-interrupted"));
    Files.writeString(orphan.resolve("half.bin"), "partial");
    Path mine = store.newStaging();
    assertEquals("no artifact in the store", store.verify(KEY).reason());
    assertEquals(1, store.cleanStaging(), "only the dead writer's directory is removed");
    assertFalse(Files.exists(orphan));
    assertTrue(Files.exists(mine), "a live process's staging directory is kept");
  }

  @Test
  void republishingReplacesTheArtifact() throws Exception {
    ArtifactStore store = new ArtifactStore(home);
    publishHello(store);
    Path staging = store.newStaging();
    Files.writeString(staging.resolve("hello.txt"), "bonjour");
    store.publish(staging, KEY, "text", 1, "run-2", "greet", Map.of());
    Artifact artifact = store.verify(KEY).artifact().orElseThrow();
    assertEquals("run-2", artifact.manifest().runId());
    assertFalse(Files.exists(artifact.resolve("sub")));
  }

  private static long deadPid() throws Exception {
    Process process = new ProcessBuilder("true").start();
    process.waitFor();
    return process.pid();
  }
}
