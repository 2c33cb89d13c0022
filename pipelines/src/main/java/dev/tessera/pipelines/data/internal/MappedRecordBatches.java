package dev.tessera.pipelines.data.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.ForeignAllocation;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;

/**
 * Loads record batches of an Arrow IPC file without copying them: the block is memory-mapped and its buffers are
 * slices of the mapping. {@code ArrowFileReader.loadRecordBatch} instead reads every batch into freshly allocated
 * memory, which costs as much CPU as a second copy of the data (and a third for the kernel's read).
 *
 * <p>The mapping stays alive until every buffer sliced from it is released (the allocator calls back when the
 * reference count drops to zero); the pages themselves belong to the page cache, not the Java heap.
 */
public final class MappedRecordBatches {
  private MappedRecordBatches() {}

  /**
   * Maps {@code block} of {@code channel} and returns its record batch; close the batch after loading it. The
   * mapping goes away when the garbage collector finds it unreachable.
   */
  public static ArrowRecordBatch load(FileChannel channel, ArrowBlock block, BufferAllocator allocator)
      throws IOException {
    return load(channel, block, allocator, false);
  }

  /**
   * As {@link #load(FileChannel, ArrowBlock, BufferAllocator)}; with {@code unmapOnRelease} the mapping is removed
   * as soon as the last Arrow buffer sliced from it is released, instead of whenever the garbage collector runs.
   * Only for owners that guarantee nothing reads the memory afterwards, also through views made earlier (such as
   * a {@code nioBuffer}): a read of unmapped memory crashes the JVM.
   */
  public static ArrowRecordBatch load(FileChannel channel, ArrowBlock block, BufferAllocator allocator,
      boolean unmapOnRelease) throws IOException {
    long total = block.getMetadataLength() + block.getBodyLength();
    if (total > Integer.MAX_VALUE) {
      throw new IOException("record batch at offset " + block.getOffset() + " is " + total
          + " bytes; batches over 2 GiB cannot be read");
    }
    MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, block.getOffset(), total);
    map.order(ByteOrder.LITTLE_ENDIAN);
    // Encapsulated message: [0xFFFFFFFF continuation] int32 length, flatbuffer Message, padding, then the body.
    int prefix = 4;
    int length = map.getInt(0);
    if (length == -1) {
      prefix = 8;
      length = map.getInt(4);
    }
    if (length <= 0 || prefix + (long) length > block.getMetadataLength()) {
      throw new IOException("record batch at offset " + block.getOffset() + " has a message length of " + length
          + " that does not fit its metadata of " + block.getMetadataLength() + " bytes");
    }
    ByteBuffer metadata = map.slice(prefix, length).order(ByteOrder.LITTLE_ENDIAN);
    Message message = Message.getRootAsMessage(metadata);
    if (message.headerType() != MessageHeader.RecordBatch) {
      throw new IOException("block at offset " + block.getOffset() + " is not a record batch (message type "
          + message.headerType() + ")");
    }
    RecordBatch header = (RecordBatch) message.header(new RecordBatch());
    long address = MemoryUtil.getByteBufferAddress(map) + block.getMetadataLength();
    ArrowBuf body = allocator.wrapForeignAllocation(
        new MappedBody(address, block.getBodyLength(), map, unmapOnRelease));
    // Slices the body (retaining the slices) and releases our reference to it.
    return MessageSerializer.deserializeRecordBatch(header, body);
  }

  /** The body of one mapped block; holding the buffer keeps the mapping alive while Arrow uses its memory. */
  private static final class MappedBody extends ForeignAllocation {
    private MappedByteBuffer map;
    private final boolean unmap;

    MappedBody(long address, long size, MappedByteBuffer map, boolean unmap) {
      super(size, address);
      this.map = map;
      this.unmap = unmap;
    }

    @Override
    protected void release0() {
      MappedByteBuffer released = map;
      map = null;
      if (unmap && released != null) {
        // JDK 17 has no public unmap; the cleaner the JDK attached to the mapping is what the collector would run.
        Unmapper.UNSAFE.invokeCleaner(released);
      }
      // Otherwise unmapped by the garbage collector once unreachable.
    }
  }

  /** sun.misc.Unsafe (module jdk.unsupported), loaded only when a caller asks for unmapping. */
  private static final class Unmapper {
    static final sun.misc.Unsafe UNSAFE = find();

    private static sun.misc.Unsafe find() {
      try {
        java.lang.reflect.Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        field.setAccessible(true);
        return (sun.misc.Unsafe) field.get(null);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot reach sun.misc.Unsafe to unmap a shard: " + e, e);
      }
    }
  }
}
