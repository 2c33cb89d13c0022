package dev.tessera.stages.train;

import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/**
 * Wraps a {@link BatchSource} so the next {@code depth} batches are prepared on a background thread while the
 * trainer works on the current one.
 *
 * <pre>{@code
 * try (BatchSource train = new PrefetchingBatchSource(shardSource, 4)) { ... }
 * }</pre>
 *
 * <p>Guarantees: the same batches in the same order as the delegate; at most {@code depth} batches are held in
 * the queue (bounded memory); an exception thrown by the delegate reaches the consumer (as the cause of an
 * {@link IllegalStateException} from {@code hasNext()}/{@code next()}) and ends the producer thread; closing a
 * cursor, or the consumer being interrupted while waiting, stops and joins the producer thread. One producer
 * thread per open cursor, named {@code tessera-prefetch-epoch-N}. Batches released to a cursor go back to the
 * delegate's cursor, so a pooling delegate reuses their arrays.
 */
public final class PrefetchingBatchSource implements BatchSource {
  /** How long {@code close()} waits for a producer stuck in a non-interruptible read of the delegate. */
  private static final long JOIN_SECONDS = 30;

  private final BatchSource delegate;
  private final int depth;

  /**
   * @param delegate the source to read ahead of; closed with this source
   * @param depth batches to prepare ahead, >= 1
   */
  public PrefetchingBatchSource(BatchSource delegate, int depth) {
    if (depth < 1) {
      throw new IllegalArgumentException("prefetch depth must be >= 1, but was " + depth);
    }
    this.delegate = delegate;
    this.depth = depth;
  }

  @Override
  public Cursor epoch(int epoch) {
    return new PrefetchCursor(epoch);
  }

  @Override
  public OptionalLong batchesPerEpoch() {
    return delegate.batchesPerEpoch();
  }

  @Override
  public void close() {
    delegate.close();
  }

  /** A failure of the delegate, carried through the queue to the consumer. */
  private record Failure(Throwable cause) {}

  private static final Object END = new Object();

  private final class PrefetchCursor implements Cursor {
    private final int epoch;
    private final BlockingQueue<Object> queue;
    private final Thread producer;
    private volatile boolean closed;
    /** The delegate's cursor, opened by the producer thread; batches are released to it. */
    private volatile Cursor inner;
    private Object head;

    PrefetchCursor(int epoch) {
      this.epoch = epoch;
      this.queue = new ArrayBlockingQueue<>(depth);
      this.producer = new Thread(this::produce, "tessera-prefetch-epoch-" + epoch);
      producer.setDaemon(true);
      producer.start();
    }

    private void produce() {
      try (Cursor cursor = delegate.epoch(epoch)) {
        inner = cursor;
        while (!closed && cursor.hasNext()) {
          queue.put(cursor.next());
        }
        queue.put(END);
      } catch (InterruptedException e) {
        // close() interrupted us: the consumer is gone, nothing to deliver.
      } catch (Throwable t) { // NOPMD: every failure must reach the consumer, Errors included
        try {
          queue.put(new Failure(t));
        } catch (InterruptedException ignored) {
          // close() is under way: the consumer no longer waits for the failure.
        }
      }
    }

    @Override
    public boolean hasNext() {
      if (head == null) {
        if (closed) {
          return false;
        }
        try {
          head = queue.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          close();
          throw new CancellationException("Interrupted while waiting for batch of epoch " + epoch);
        }
      }
      if (head instanceof Failure failure) {
        close();
        throw new IllegalStateException(
            "The batch source failed while prefetching epoch " + epoch + ": " + failure.cause(), failure.cause());
      }
      return head != END;
    }

    @Override
    public ImageBatch next() {
      if (!hasNext()) {
        throw new NoSuchElementException("epoch " + epoch + " has no more batches");
      }
      ImageBatch batch = (ImageBatch) head;
      head = null;
      return batch;
    }

    /** Hands the batch back to the delegate's cursor (which accepts it from any thread, as every cursor must). */
    @Override
    public void release(ImageBatch batch) {
      Cursor cursor = inner;
      if (cursor != null) {
        cursor.release(batch);
      }
    }

    @Override
    public void close() {
      if (closed && !producer.isAlive()) {
        return;
      }
      closed = true;
      producer.interrupt();
      queue.clear();
      // Join even when the consumer is interrupted (that is often why it closes), then restore its flag.
      boolean interrupted = Thread.interrupted();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(JOIN_SECONDS);
      try {
        while (producer.isAlive() && System.nanoTime() < deadline) {
          try {
            producer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      if (producer.isAlive()) {
        throw new IllegalStateException(
            "Prefetch thread " + producer.getName() + " did not stop within " + JOIN_SECONDS
                + " s of close(): the batch source blocks in a read that ignores interrupts");
      }
    }
  }
}
