package dev.tessera.pipelines.data;

import dev.tessera.pipelines.artifact.Digests;
import dev.tessera.pipelines.data.internal.HashingChannel;
import dev.tessera.transforms.sample.Box;
import dev.tessera.transforms.sample.Sample;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Writes samples to one Arrow IPC file ({@code .arrow}, readable by pyarrow) in record batches of
 * {@link ShardWriterSettings#rowsPerBatch()} rows, hashing the bytes as they are written.
 *
 * <p>On the local file system the data goes to a hidden temporary file in the same directory; {@link #finish()}
 * writes the footer, syncs and renames it atomically to its final name. On another Beam file system (object
 * storage such as {@code s3://}) it is uploaded to its final name, where it appears only once {@code finish()}
 * completes the upload. {@link #close()} without {@code finish()} (an exception, an
 * interrupted worker) deletes the temporary file, so a half-written shard is never visible under its name. Close
 * therefore does not publish: an exception inside a try-with-resources block must not publish a partial shard.
 *
 * <pre>{@code
 * try (ShardWriter writer = ShardWriter.create(dir.resolve("train-00000.arrow"), settings)) {
 *   samples.forEach(writer::write);
 *   ShardInfo info = writer.finish();
 * }
 * }</pre>
 *
 * <p>Not thread-safe; holds no static state, so one writer per {@code DoFn} bundle is fine. Rows keep the order
 * they were written in.
 */
public final class ShardWriter implements AutoCloseable {
  private final String target;
  private final String name;
  /** The local temporary file, renamed to the target by finish(); null on a remote file system. */
  private final Path temp;
  private final Path localTarget;
  /** The remote object being uploaded; null on the local file system. */
  private final ResourceId remote;
  private final ShardWriterSettings settings;
  private final BufferAllocator allocator;
  private final VectorSchemaRoot root;
  private final WritableByteChannel channel;
  private final HashingChannel hashing;
  private final MessageDigest digest = Digests.sha256();
  private final ArrowFileWriter writer;
  private final List<Sample> pending = new ArrayList<>();
  private long pendingBytes;
  private long rows;
  private boolean finished;
  private boolean closed;

  private ShardWriter(ResourceId file, ShardWriterSettings settings, BufferAllocator parent) throws IOException {
    this.settings = settings;
    this.name = file.getFilename();
    if (name == null || !name.endsWith(".arrow")) {
      throw new IllegalArgumentException("shard file name must end with .arrow, but was '" + name + "'");
    }
    this.localTarget = Locations.localPath(file).map(Path::toAbsolutePath).orElse(null);
    this.remote = localTarget == null ? file : null;
    this.target = localTarget == null ? file.toString() : localTarget.toString();
    if (localTarget != null) {
      Files.createDirectories(localTarget.getParent());
      this.temp = Files.createTempFile(localTarget.getParent(), "." + name + ".", ".tmp");
    } else {
      this.temp = null;
    }
    BufferAllocator alloc = null;
    WritableByteChannel ch = null;
    try {
      alloc = parent == null
          ? new RootAllocator()
          : parent.newChildAllocator("shard-writer " + name, 0, parent.getLimit());
      // On object storage the object appears under its name only once the upload completes (at finish()).
      ch = temp != null ? FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)
          : createRemote(remote);
      this.allocator = alloc;
      this.channel = ch;
      this.hashing = new HashingChannel(ch, digest);
      this.root = VectorSchemaRoot.create(SampleSchema.create(settings.dataset(), settings.classes()), alloc);
      this.writer = new ArrowFileWriter(root, null, hashing);
      writer.start();
    } catch (IOException | RuntimeException e) {
      if (ch != null) {
        ch.close();
      }
      if (alloc != null) {
        alloc.close();
      }
      try {
        discard();
      } catch (IOException | RuntimeException cleanup) {
        e.addSuppressed(cleanup); // a storage server that cannot be reached refuses the clean-up too
      }
      throw e;
    }
  }

  private static WritableByteChannel createRemote(ResourceId file) throws IOException {
    try {
      return FileSystems.create(file, MimeTypes.BINARY);
    } catch (IOException | RuntimeException e) {
      throw Locations.told("write", file, e);
    }
  }

  /** Starts a shard that will appear at {@code file} (name ending in {@code .arrow}) when finished. */
  public static ShardWriter create(Path file, ShardWriterSettings settings) throws IOException {
    return create(file, settings, null);
  }

  /** As {@link #create(Path, ShardWriterSettings)}, allocating from a child of {@code allocator} (none: null). */
  public static ShardWriter create(Path file, ShardWriterSettings settings, BufferAllocator allocator)
      throws IOException {
    return create(FileSystems.matchNewResource(file.toAbsolutePath().toString(), false), settings, allocator);
  }

  /**
   * Starts a shard on any Beam file system ({@code s3://bucket/x/train-00000.arrow}, or a local file), written
   * through a {@link FileSystems} channel by whichever worker calls it. A local file behaves as with a
   * {@link Path}; a remote one is uploaded as it is written and appears under its name when {@link #finish()}
   * completes the upload; {@link #close()} without {@code finish()} deletes whatever the upload left.
   */
  public static ShardWriter create(ResourceId file, ShardWriterSettings settings, BufferAllocator allocator)
      throws IOException {
    return new ShardWriter(file, Objects.requireNonNull(settings, "settings"), allocator);
  }

  /**
   * Adds a sample. Its label and box class ids must be indexes into the settings' class names (when there are
   * any); the arrays are read when the batch is flushed, so do not modify them afterwards.
   */
  public void write(Sample sample) throws IOException {
    if (finished || closed) {
      throw new IllegalStateException("shard " + target + " is already " + (finished ? "finished" : "closed"));
    }
    checkClasses(sample);
    long bytes = (long) sample.pixels().length + length(sample.encoded()) + length(sample.mask());
    if (!pending.isEmpty()
        && (pending.size() >= settings.rowsPerBatch() || pendingBytes + bytes > settings.maxBatchBytes())) {
      flush();
    }
    pending.add(sample);
    pendingBytes += bytes;
    rows++;
  }

  /** Rows written so far. */
  public long rows() {
    return rows;
  }

  /**
   * Writes the last batch and the footer, syncs the file, hashes it and renames it to its final name (replacing
   * an older file of that name atomically).
   */
  public ShardInfo finish() throws IOException {
    if (finished || closed) {
      throw new IllegalStateException("shard " + target + " is already " + (finished ? "finished" : "closed"));
    }
    if (!pending.isEmpty()) {
      flush();
    }
    writer.end();
    if (channel instanceof FileChannel file) {
      file.force(true);
    }
    try {
      writer.close(); // on object storage, completes the upload (its failures come unchecked)
    } catch (RuntimeException e) {
      if (remote == null) {
        throw e;
      }
      throw Locations.told("write", remote, e);
    }
    String sha256 = HexFormat.of().formatHex(digest.digest());
    if (temp != null) {
      Files.move(temp, localTarget, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    finished = true;
    return new ShardInfo(name, rows, sha256);
  }

  /** Releases memory; deletes the temporary file unless {@link #finish()} published it. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!finished) {
        // Not writer.close(): that would write a footer into a file we are about to delete.
        pending.clear();
        channel.close();
      }
    } finally {
      try {
        root.close();
        allocator.close();
      } finally {
        if (!finished) {
          discard();
        }
      }
    }
  }

  /** Removes the unfinished file: the local temporary file, or what a closed remote upload left. */
  private void discard() throws IOException {
    if (temp != null) {
      Files.deleteIfExists(temp);
    } else {
      Locations.delete(List.of(remote));
    }
  }

  private void checkClasses(Sample sample) {
    int classes = settings.classes().size();
    if (classes == 0) {
      return;
    }
    if (sample.label() != null && sample.label() >= classes) {
      throw new IllegalArgumentException("sample '" + sample.id() + "': label " + sample.label()
          + " is not a class of dataset '" + settings.dataset() + "' (" + classes + " classes: 0.." + (classes - 1)
          + ")");
    }
    if (sample.boxes() != null) {
      for (Box box : sample.boxes()) {
        if (box.classId() >= classes) {
          throw new IllegalArgumentException("sample '" + sample.id() + "': box class id " + box.classId()
              + " is not a class of dataset '" + settings.dataset() + "' (" + classes + " classes: 0.."
              + (classes - 1) + ")");
        }
      }
    }
  }

  private void flush() throws IOException {
    int n = pending.size();
    VarCharVector id = (VarCharVector) root.getVector(SampleSchema.ID);
    VarBinaryVector image = (VarBinaryVector) root.getVector(SampleSchema.IMAGE);
    IntVector height = (IntVector) root.getVector(SampleSchema.HEIGHT);
    IntVector width = (IntVector) root.getVector(SampleSchema.WIDTH);
    IntVector channels = (IntVector) root.getVector(SampleSchema.CHANNELS);
    VarCharVector dtype = (VarCharVector) root.getVector(SampleSchema.DTYPE);
    VarCharVector layout = (VarCharVector) root.getVector(SampleSchema.LAYOUT);
    VarBinaryVector encoded = (VarBinaryVector) root.getVector(SampleSchema.ENCODED);
    IntVector label = (IntVector) root.getVector(SampleSchema.LABEL);
    ListVector boxes = (ListVector) root.getVector(SampleSchema.BOXES);
    VarBinaryVector mask = (VarBinaryVector) root.getVector(SampleSchema.MASK);
    VarCharVector source = (VarCharVector) root.getVector(SampleSchema.SOURCE);
    VarCharVector split = (VarCharVector) root.getVector(SampleSchema.SPLIT);
    StructVector box = (StructVector) boxes.getDataVector();
    Float4Vector x1 = box.getChild("x1", Float4Vector.class);
    Float4Vector y1 = box.getChild("y1", Float4Vector.class);
    Float4Vector x2 = box.getChild("x2", Float4Vector.class);
    Float4Vector y2 = box.getChild("y2", Float4Vector.class);
    IntVector classId = box.getChild("class_id", IntVector.class);

    long imageBytes = 0;
    for (Sample s : pending) {
      imageBytes += s.pixels().length;
    }
    for (FieldVector vector : root.getFieldVectors()) {
      if (vector != image) {
        vector.allocateNew();
      }
    }
    image.allocateNew(imageBytes, n);

    int boxIndex = 0;
    for (int row = 0; row < n; row++) {
      Sample s = pending.get(row);
      id.setSafe(row, utf8(s.id()));
      image.setSafe(row, s.pixels());
      height.setSafe(row, s.height());
      width.setSafe(row, s.width());
      channels.setSafe(row, s.channels());
      dtype.setSafe(row, utf8(s.dtype().id()));
      layout.setSafe(row, utf8(s.layout().name()));
      if (s.encoded() != null) {
        encoded.setSafe(row, s.encoded());
      } else {
        encoded.setNull(row);
      }
      if (s.label() != null) {
        label.setSafe(row, s.label());
      } else {
        label.setNull(row);
      }
      if (s.boxes() != null) {
        boxes.startNewValue(row);
        for (Box b : s.boxes()) {
          x1.setSafe(boxIndex, b.x1());
          y1.setSafe(boxIndex, b.y1());
          x2.setSafe(boxIndex, b.x2());
          y2.setSafe(boxIndex, b.y2());
          classId.setSafe(boxIndex, b.classId());
          box.setIndexDefined(boxIndex);
          boxIndex++;
        }
        boxes.endValue(row, s.boxes().size());
      } else {
        boxes.setNull(row);
      }
      if (s.mask() != null) {
        mask.setSafe(row, s.mask());
      } else {
        mask.setNull(row);
      }
      source.setSafe(row, utf8(s.source()));
      split.setSafe(row, utf8(s.split()));
    }
    root.setRowCount(n);
    writer.writeBatch();
    root.clear();
    pending.clear();
    pendingBytes = 0;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static long length(byte[] bytes) {
    return bytes == null ? 0 : bytes.length;
  }
}
