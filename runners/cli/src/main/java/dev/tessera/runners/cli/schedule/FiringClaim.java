package dev.tessera.runners.cli.schedule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive right of one scheduler process to settle one firing: an OS lock on {@code <time>.claim}.
 *
 * <p>The operating system releases the lock when the process ends, however it ends (SIGKILL included), so a
 * crashed scheduler never leaves a firing stuck: the next scheduler to ask gets it. The file also records the
 * holder's pid, for people. The file is never deleted (deleting a lock file while another process opens it would
 * let two processes lock two different files).
 *
 * <p>Claims held in this JVM are also kept in a set, checked before any file is opened: on Linux, closing any
 * descriptor of a file drops all of the process's locks on it, so a second open-and-close of a held claim's file
 * would silently hand the claim to other processes.
 */
final class FiringClaim implements AutoCloseable {
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private boolean closed;

  private FiringClaim(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /** The claim, or empty when another process (or another scheduler in this one) holds it. */
  static Optional<FiringClaim> tryAcquire(Path path) {
    Path file = path.toAbsolutePath().normalize();
    if (!HELD.add(file)) {
      return Optional.empty();
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        HELD.remove(file);
        return Optional.empty();
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n")
          .getBytes(StandardCharsets.UTF_8)));
      return Optional.of(new FiringClaim(file, channel, lock));
    } catch (OverlappingFileLockException heldInThisJvm) {
      closeQuietly(channel);
      HELD.remove(file);
      return Optional.empty();
    } catch (IOException e) {
      closeQuietly(channel);
      HELD.remove(file);
      throw new UncheckedIOException("cannot claim " + file + " (is $TESSERA_HOME writable?)", e);
    }
  }

  /** Releases the claim; closing twice is harmless. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      lock.release();
    } catch (IOException ignored) {
      // Closing the channel below releases the lock as well.
    } finally {
      closeQuietly(channel);
      HELD.remove(file);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Nothing to do: the lock goes with the channel.
      }
    }
  }
}
