package dev.tessera.stages.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.testing.PythonEnv;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder filled with more model copies than its limits allow: the least recently used go, except those in use by
 * this JVM or by another process (a real one, holding the copy's lock file the way a worker on the same machine
 * does).
 */
class ModelCopiesTest {
  @TempDir Path root;

  @Test
  void removesTheLeastRecentlyUsedCopiesBeyondTheCountLimit() throws IOException {
    ModelCopies copies = new ModelCopies(root);
    List<String> hexes = fill(10, 100);

    List<String> removed = copies.evict(new ModelCopyLimits(8, 1L << 30));

    assertEquals(List.of(hexes.get(1), hexes.get(0)), removed, "the two oldest, most recently used first");
    assertEquals(hexes.subList(2, 10), remaining());
  }

  @Test
  void removesTheLeastRecentlyUsedCopiesBeyondTheByteLimit() throws IOException {
    ModelCopies copies = new ModelCopies(root);
    List<String> hexes = fill(5, 1000);

    copies.evict(new ModelCopyLimits(8, 3500));

    assertEquals(hexes.subList(2, 5), remaining(), "3 copies of 1000 bytes fit in 3500 bytes");
  }

  @Test
  void aUseMakesACopyTheMostRecentlyUsed() throws IOException {
    ModelCopies copies = new ModelCopies(root);
    List<String> hexes = fill(4, 100);

    copies.touch(hexes.get(0));
    copies.evict(new ModelCopyLimits(3, 1L << 30));

    assertEquals(List.of(hexes.get(0), hexes.get(2), hexes.get(3)), remaining());
  }

  @Test
  void keepsTheOldestCopyWhileThisJvmUsesIt() throws IOException {
    ModelCopies copies = new ModelCopies(root);
    List<String> hexes = fill(10, 100);

    try (Closeable inUse = copies.hold(hexes.get(0))) {
      assertEquals(List.of(hexes.get(1)), copies.evict(new ModelCopyLimits(8, 1L << 30)));
      assertTrue(Files.isDirectory(root.resolve(hexes.get(0))), "the copy in use stays");
    }
    assertEquals(List.of(hexes.get(0)), copies.evict(new ModelCopyLimits(8, 1L << 30)), "released: it goes");
    assertEquals(hexes.subList(2, 10), remaining());
    assertFalse(Files.exists(root.resolve(hexes.get(0) + ".lock")), "its lock file goes with it");
  }

  @Test
  void keepsACopyWhileAnotherProcessUsesIt() throws Exception {
    ModelCopies copies = new ModelCopies(root);
    List<String> hexes = fill(3, 100);
    // Another process on this machine: holds the oldest copy's lock file shared (POSIX fcntl, as Java's FileLock)
    Process other = new ProcessBuilder(PythonEnv.get().python().toString(), "-c",
        "import fcntl, sys\n"
            + "f = open(sys.argv[1], 'a+')\n"
            + "fcntl.lockf(f, fcntl.LOCK_SH)\n"
            + "print('locked', flush=True)\n"
            + "sys.stdin.read()\n",
        root.resolve(hexes.get(0) + ".lock").toString()).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("locked", out.readLine());

      assertEquals(List.of(hexes.get(1)), copies.evict(new ModelCopyLimits(1, 1L << 30)));
      assertEquals(List.of(hexes.get(0), hexes.get(2)), remaining(), "the other process's copy stays");
    } finally {
      other.getOutputStream().close(); // ends it, and with it its lock
      assertTrue(other.waitFor(60, TimeUnit.SECONDS));
    }
    assertEquals(List.of(hexes.get(0)), copies.evict(new ModelCopyLimits(1, 1L << 30)));
  }

  @Test
  void removesWhatKilledFetchesLeftButNotAFetchInProgress() throws IOException {
    ModelCopies copies = new ModelCopies(root);
    String killed = "ab".repeat(32);
    String fetching = "cd".repeat(32);
    Files.createFile(Files.createDirectories(root.resolve(".fetch-" + killed + "-1")).resolve("part.bin"));
    Files.createFile(root.resolve(killed + ".lock"));
    Path other = Files.createDirectory(root.resolve(".tmp-of-someone-else"));

    try (Closeable inProgress = copies.hold(fetching)) {
      Path temp = copies.newFetch(fetching);
      assertEquals(List.of(), copies.evict(ModelCopyLimits.DEFAULT));
      assertTrue(Files.isDirectory(temp), "a fetch in progress stays");
    }

    assertFalse(Files.exists(root.resolve(".fetch-" + killed + "-1")));
    assertFalse(Files.exists(root.resolve(killed + ".lock")));
    assertTrue(Files.isDirectory(other), "what is not a model copy's is left alone");
    copies.evict(ModelCopyLimits.DEFAULT);
    try (var left = Files.list(root)) {
      assertEquals(List.of(".lock", ".tmp-of-someone-else"),
          left.map(p -> p.getFileName().toString()).sorted().toList(), "the fetch given up is removed next time");
    }
  }

  /** {@code count} copies of {@code bytes} bytes each, used one minute apart, oldest first. */
  private List<String> fill(int count, int bytes) throws IOException {
    List<String> hexes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String hex = String.format("%064x", i + 1);
      Path dir = Files.createDirectories(root.resolve(hex).resolve("params"));
      Files.write(dir.resolve("weights.bin"), new byte[bytes]);
      Files.setLastModifiedTime(root.resolve(hex), FileTime.fromMillis(1_700_000_000_000L + i * 60_000L));
      hexes.add(hex);
    }
    return hexes;
  }

  /** The copies left, by name. */
  private List<String> remaining() throws IOException {
    try (var files = Files.list(root)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9a-f]{64}")).sorted().toList();
    }
  }
}
