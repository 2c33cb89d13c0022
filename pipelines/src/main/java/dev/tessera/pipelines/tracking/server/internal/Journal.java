package dev.tessera.pipelines.tracking.server.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One run's spool: an append-only journal of JSON lines ({@code <run>.jsonl}), the offset up to which the server
 * has acknowledged it ({@code <run>.ack}, replaced atomically and fsynced), copies of logged artifacts
 * ({@code <run>.files/}), records the server refused ({@code <run>.rejected.jsonl}), and a lock file held while a
 * process owns the spool ({@code <run>.lock}).
 *
 * <p>Appends go straight to the file (the page cache), so they survive a crash of the process; {@link #force()}
 * makes them survive a crash of the machine. A torn last line (the process died mid-write) is cut off on open.
 */
public final class Journal implements Closeable {
  private final Path dir;
  private final String runId;
  private final FileChannel channel;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private long written;
  private volatile long size;
  private volatile long acked;
  private volatile boolean dirty;
  private boolean closed;

  private Journal(Path dir, String runId, FileChannel channel, FileChannel lockChannel, FileLock lock, long size,
      long acked) {
    this.dir = dir;
    this.runId = runId;
    this.channel = channel;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.written = size;
    this.size = size;
    this.acked = Math.min(acked, size);
  }

  /**
   * Opens (creating) the spool of {@code runId} in {@code dir} and locks it for this process.
   *
   * @return empty if another process (or another spool object of this JVM) holds it
   */
  public static Optional<Journal> open(Path dir, String runId) throws IOException {
    Files.createDirectories(dir);
    FileChannel lockChannel = FileChannel.open(dir.resolve(runId + ".lock"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      return Optional.empty();
    }
    FileChannel channel = FileChannel.open(dir.resolve(runId + ".jsonl"),
        StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    long size = completeLength(channel);
    channel.truncate(size);
    channel.position(size);
    Path ackFile = dir.resolve(runId + ".ack");
    long acked = Files.exists(ackFile) ? Long.parseLong(Files.readString(ackFile).strip()) : 0;
    return Optional.of(new Journal(dir, runId, channel, lockChannel, lock, size, acked));
  }

  /** The run ids with a spool in {@code dir}. */
  public static List<String> runIds(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".jsonl") && !n.endsWith(".rejected.jsonl"))
          .map(n -> n.substring(0, n.length() - ".jsonl".length()))
          .sorted()
          .toList();
    }
  }

  public String runId() {
    return runId;
  }

  /** Where copies of logged artifacts are kept until sent. */
  public Path filesDirectory() {
    return dir.resolve(runId + ".files");
  }

  /** The file of records the server refused. */
  public Path rejectedFile() {
    return dir.resolve(runId + ".rejected.jsonl");
  }

  /** The journal file. */
  public Path file() {
    return dir.resolve(runId + ".jsonl");
  }

  /** Appends one line (a newline is added). */
  public synchronized void append(byte[] line) throws IOException {
    if (closed) {
      throw new IllegalStateException("the spool of run " + runId + " is closed (the run has ended)");
    }
    ByteBuffer buffer = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    written += line.length + 1;
    size = written;
    dirty = true;
  }

  /** Bytes written so far (all complete lines). */
  public long size() {
    return size;
  }

  /** The offset up to which the server has acknowledged the journal. */
  public long acked() {
    return acked;
  }

  /** Records that the server has acknowledged everything before {@code offset}: atomic and fsynced. */
  public void ack(long offset) throws IOException {
    Path target = dir.resolve(runId + ".ack");
    Path tmp = dir.resolve(runId + ".ack.tmp");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write(ByteBuffer.wrap(Long.toString(offset).getBytes(StandardCharsets.US_ASCII)));
      out.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    acked = offset;
  }

  /** Flushes appended lines to the disk, if any were appended since the last call. */
  public void force() throws IOException {
    if (dirty) {
      dirty = false;
      synchronized (this) {
        if (!closed) {
          channel.force(false);
        }
      }
    }
  }

  /** One complete line and the offset just past it. */
  public record Line(byte[] bytes, long end) {}

  /** Complete lines starting at {@code from}, reading at most about {@code maxBytes}. */
  public List<Line> read(long from, int maxBytes) throws IOException {
    long available = size - from;
    if (available <= 0) {
      return List.of();
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(available, Math.max(maxBytes, 1 << 16)));
    int n = 0;
    while (buffer.hasRemaining()) {
      int r = channel.read(buffer, from + n);
      if (r <= 0) {
        break;
      }
      n += r;
    }
    byte[] bytes = buffer.array();
    List<Line> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < n; i++) {
      if (bytes[i] == '\n') {
        byte[] line = new byte[i - start];
        System.arraycopy(bytes, start, line, 0, line.length);
        lines.add(new Line(line, from + i + 1));
        start = i + 1;
      }
    }
    if (lines.isEmpty() && n == buffer.capacity() && n < available) {
      throw new IOException("a line of spool " + file() + " at offset " + from + " is longer than " + n + " bytes");
    }
    return lines;
  }

  /** Appends a refused record with the server's reason. */
  public synchronized void reject(String json) throws IOException {
    Files.writeString(rejectedFile(), json + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** Closes the journal and releases the lock; with {@code delete}, removes the journal, ack and copies. */
  public void close(boolean delete) throws IOException {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      channel.force(false);
      channel.close();
    }
    if (delete) {
      Files.deleteIfExists(file());
      Files.deleteIfExists(dir.resolve(runId + ".ack"));
      deleteTree(filesDirectory());
    }
    lock.release();
    lockChannel.close();
    if (delete) {
      Files.deleteIfExists(dir.resolve(runId + ".lock"));
    }
  }

  @Override
  public void close() throws IOException {
    close(false);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The length up to and including the last newline. */
  private static long completeLength(FileChannel channel) throws IOException {
    long length = channel.size();
    ByteBuffer one = ByteBuffer.allocate(1);
    while (length > 0) {
      one.clear();
      channel.read(one, length - 1);
      if (one.get(0) == '\n') {
        return length;
      }
      length--;
    }
    return 0;
  }
}
