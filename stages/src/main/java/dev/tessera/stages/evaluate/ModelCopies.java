package dev.tessera.stages.evaluate;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import dev.tessera.pipelines.artifact.ArtifactStore;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The folder of one machine's model copies: which copies are in use, and removing the least recently used ones
 * beyond {@link ModelCopyLimits}.
 *
 * <p>Whoever uses a copy holds a shared OS file lock on its lock file {@code <hex>.lock} beside it, from before
 * the copy is checked or fetched until the model is loaded; an eviction takes that file's exclusive lock without
 * waiting and keeps the copy when someone holds it. File locks rather than a marker's time: the kernel releases
 * them when a process dies, so a killed worker never pins a copy, and they say "in use now" exactly where a time
 * would be a guess. Java's file locks belong to the whole JVM, so the threads of one JVM share one lock per copy
 * through a use count. Lock files are opened and deleted only under the folder's own lock ({@code .lock}), so no
 * one locks a lock file an eviction has just deleted. A copy's last use is its directory's modification time,
 * set on every use. A fetch writes into {@code .fetch-<hex>-*} under the same shared lock, so what a killed fetch
 * left is removed by a later eviction, and a fetch in progress is not.
 */
final class ModelCopies {
  /** Guards {@link #HELD} and this JVM's use of the folder lock (a JVM may hold a file's lock only once). */
  private static final Object MONITOR = new Object();
  private static final Map<Path, Held> HELD = new HashMap<>();
  private static final Pattern COPY = Pattern.compile("[0-9a-f]{64}");
  private static final String LOCK = ".lock";
  private static final Pattern LOCK_FILE = Pattern.compile("([0-9a-f]{64})\\.lock");
  private static final Pattern FETCH = Pattern.compile("\\.fetch-([0-9a-f]{64})-.*");

  private final Path root;

  ModelCopies(Path root) {
    this.root = root.toAbsolutePath();
  }

  /** This machine's copies: {@code <java.io.tmpdir>/tessera-models/}. */
  static ModelCopies inTempDir() {
    return new ModelCopies(Path.of(System.getProperty("java.io.tmpdir"), "tessera-models"));
  }

  /** The directory of the copy named {@code hex} (a digest's 64 hex digits). */
  Path copy(String hex) {
    return root.resolve(hex);
  }

  /** Marks the copy {@code hex} in use on this machine until the returned handle is closed (once or more). */
  Closeable hold(String hex) throws IOException {
    Path lockFile = root.resolve(hex + LOCK);
    synchronized (MONITOR) {
      Held held = HELD.get(lockFile);
      if (held == null) {
        held = underFolderLock(() -> {
          FileChannel channel = FileChannel.open(lockFile, CREATE, READ, WRITE);
          try {
            // Never waits: an eviction holds it exclusively only inside the folder lock, which is ours now.
            channel.lock(0, Long.MAX_VALUE, true);
            return new Held(channel);
          } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
          }
        });
        HELD.put(lockFile, held);
      }
      held.users++;
    }
    boolean[] released = {false};
    return () -> {
      synchronized (MONITOR) {
        if (!released[0]) {
          released[0] = true;
          Held held = HELD.get(lockFile);
          if (--held.users == 0) {
            HELD.remove(lockFile);
            held.channel.close(); // releases the lock
          }
        }
      }
    };
  }

  /** Records a use of the copy {@code hex} now, which puts it last in line for removal. */
  void touch(String hex) throws IOException {
    Files.setLastModifiedTime(copy(hex), FileTime.from(Instant.now()));
  }

  /**
   * Removes the least recently used copies beyond {@code limits}, skipping those in use anywhere on this machine
   * (they still count against the limits), and what fetches that failed or were killed left: their unfinished
   * directories ({@code .fetch-<hex>-*}) and lock files whose copy is gone, unless someone holds them.
   *
   * @return the names of the copies removed
   */
  List<String> evict(ModelCopyLimits limits) throws IOException {
    synchronized (MONITOR) {
      return underFolderLock(() -> {
        List<String> removed = new ArrayList<>();
        int kept = 0;
        long bytes = 0;
        boolean full = false;
        for (Entry entry : entries()) {
          full = full || kept >= limits.copies() || bytes + entry.bytes() > limits.bytes();
          if (full && remove(entry.hex(), true)) {
            removed.add(entry.hex());
          } else {
            kept++;
            bytes += entry.bytes();
          }
        }
        for (String hex : leftovers()) {
          remove(hex, !Files.exists(copy(hex)));
        }
        return removed;
      });
    }
  }

  /** The names of copies with an unfinished fetch, or with a lock file but no directory. */
  private Set<String> leftovers() throws IOException {
    Set<String> hexes = new TreeSet<>();
    try (Stream<Path> files = Files.list(root)) {
      for (Path file : files.toList()) {
        Matcher fetch = FETCH.matcher(file.getFileName().toString());
        Matcher lock = LOCK_FILE.matcher(file.getFileName().toString());
        if (fetch.matches()) {
          hexes.add(fetch.group(1));
        } else if (lock.matches() && !Files.exists(copy(lock.group(1)))) {
          hexes.add(lock.group(1));
        }
      }
    }
    return hexes;
  }

  /** The directory an unfinished fetch of the copy {@code hex} writes into, renamed to {@link #copy} at the end. */
  Path newFetch(String hex) throws IOException {
    return Files.createTempDirectory(root, ".fetch-" + hex + "-");
  }

  /** The copies, most recently used first. */
  private List<Entry> entries() throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (Stream<Path> files = Files.list(root)) {
      for (Path dir : files.filter(p -> COPY.matcher(p.getFileName().toString()).matches()).toList()) {
        try {
          entries.add(new Entry(dir.getFileName().toString(), Files.getLastModifiedTime(dir),
              ArtifactStore.sizeOf(dir)));
        } catch (NoSuchFileException | UncheckedIOException e) {
          // removed meanwhile by its user (its bytes had changed): nothing to count
        }
      }
    }
    entries.sort(Comparator.comparing(Entry::lastUsed).reversed().thenComparing(Entry::hex));
    return entries;
  }

  /**
   * Deletes the unfinished fetches of the copy {@code hex}, its directory too when {@code withCopy}, and then its
   * lock file when no directory is left, unless someone on this machine holds it; true when deleted.
   */
  private boolean remove(String hex, boolean withCopy) throws IOException {
    Path lockFile = root.resolve(hex + LOCK);
    if (HELD.containsKey(lockFile)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(lockFile, CREATE, READ, WRITE);
        FileLock lock = channel.tryLock()) {
      if (lock == null) {
        return false; // another process uses or fetches it
      }
      try (Stream<Path> files = Files.list(root)) {
        for (Path fetch : files.filter(p -> p.getFileName().toString().startsWith(".fetch-" + hex + "-")).toList()) {
          ArtifactStore.deleteTree(fetch);
        }
      }
      Path dir = copy(hex);
      if (withCopy && Files.exists(dir)) {
        ArtifactStore.deleteTree(dir);
      }
      if (!Files.exists(dir)) {
        Files.delete(lockFile);
      }
      return true;
    }
  }

  /** Runs {@code work} holding the folder's lock; the caller holds {@link #MONITOR}. */
  private <T> T underFolderLock(IoWork<T> work) throws IOException {
    Files.createDirectories(root);
    try (FileChannel channel = FileChannel.open(root.resolve(LOCK), CREATE, WRITE);
        FileLock lock = channel.lock()) {
      return work.run();
    }
  }

  private interface IoWork<T> {
    T run() throws IOException;
  }

  private record Entry(String hex, FileTime lastUsed, long bytes) {}

  /** The channel holding this JVM's shared lock on one copy's lock file, and how many threads use the copy. */
  private static final class Held {
    final FileChannel channel;
    int users;

    Held(FileChannel channel) {
      this.channel = channel;
    }
  }
}
