package dev.tessera.stages.train.internal;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets the C heap keep the memory a training step frees, so the next step reuses it instead of faulting fresh pages
 * in from the kernel.
 *
 * <p>Why: DJL keeps every array a step makes until the batch is closed, then frees them all at once. With glibc's
 * default settings the allocator then hands the freed top of the heap back to the kernel (it trims once more than
 * twice its mmap threshold lies free there, and the threshold starts at 128 KiB), and large tensors are mapped and
 * unmapped one by one: measured on LeNet-5 at batch 128, 2,300-3,500 page faults and 4.5-8 CPU-ms of kernel time
 * per step (a third of the step), against about none in the libtorch C++ frontend, which frees its tensors one by
 * one as the step goes. glibc raises both thresholds for good when a mapped block above the current threshold and
 * at most 32 MiB is freed (mallopt(3), "dynamic mmap threshold"); this class frees one such block once per process.
 * Afterwards blocks up to 31 MiB come from the heap, and up to 62 MiB of freed memory stays in it.
 *
 * <p>Nothing else changes: no values, no results. With another allocator, or with {@code MALLOC_MMAP_THRESHOLD_}
 * set (which turns glibc's dynamic threshold off), it does nothing.
 */
public final class NativeHeap {
  /**
   * The block freed to raise the thresholds: above any threshold the process has reached by itself, and with the
   * allocator's header and page rounding still within glibc's 32 MiB ceiling for the dynamic threshold.
   */
  static final long BLOCK_BYTES = 31L << 20;

  private static final AtomicBoolean DONE = new AtomicBoolean();

  private NativeHeap() {}

  /** Allocates and frees, once per process, the block that makes the heap keep freed memory. */
  public static void keepFreedMemory() {
    if (!DONE.compareAndSet(false, true)) {
      return;
    }
    try (NDManager manager = Engine.getInstance().newBaseManager();
        // Uninitialized: the pages are never touched, so the block costs a map and an unmap, not 31 MiB of writes.
        NDArray block = manager.create(new Shape(BLOCK_BYTES), DataType.UINT8)) {
      // Freed on leaving the block: that free is what moves glibc's thresholds.
    }
  }
}
