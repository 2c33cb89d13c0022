package dev.tessera.stages.train.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tessera.stages.train.ArrayBatchSource;
import dev.tessera.stages.train.BatchSource;
import dev.tessera.stages.train.ClassifierTrainer;
import dev.tessera.stages.train.Models;
import dev.tessera.stages.train.TrainSpec;
import dev.tessera.stages.train.TrainingCallbacks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training steps reuse the native memory the step before freed: a LeNet-5 step at batch 128 makes about 15 MiB of
 * arrays and frees them at its end; given back to the kernel each time, they are faulted in again every step
 * (measured: 2,300-3,500 page faults per step).
 */
class NativeHeapTest {
  private static final Path THREAD_STAT = Path.of("/proc/thread-self/stat");
  private static final int BATCH = 128;
  private static final int STEPS = 24;
  private static final int FIRST_COUNTED = 8;

  @TempDir Path dir;

  /** Minor page faults of the calling thread so far (the 10th field of {@code /proc/thread-self/stat}). */
  private static long minorFaults() {
    try {
      String stat = Files.readString(THREAD_STAT);
      return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void lenetStepsAtBatch128FaultInFewPages() throws Exception {
    assumeTrue(Files.isReadable(THREAD_STAT), "needs Linux's /proc/thread-self/stat to count page faults");
    SplittableRandom random = new SplittableRandom(3);
    float[][] images = new float[STEPS * BATCH][28 * 28];
    for (float[] image : images) {
      for (int p = 0; p < image.length; p++) {
        image[p] = (float) random.nextDouble();
      }
    }
    int[] labels = random.ints(images.length, 0, 10).toArray();
    long[] faults = new long[2];
    TrainingCallbacks counting = new TrainingCallbacks() {
      @Override
      public void metric(String key, double value, long step) {}

      @Override
      public void progress(int epoch, long batchInEpoch, long batchesPerEpoch, String message) {
        // Training runs on the calling thread; count its faults from step FIRST_COUNTED to the last.
        if (batchInEpoch == FIRST_COUNTED) {
          faults[0] = minorFaults();
        } else if (batchInEpoch == STEPS) {
          faults[1] = minorFaults();
        }
      }

      @Override
      public void checkCancelled() {}
    };
    TrainSpec spec = TrainSpec.defaults(Models.lenet()).withEpochs(1).withBatchSize(BATCH).withDevice("cpu")
        .withLogEverySteps(1_000);
    try (BatchSource train = new ArrayBatchSource(images, labels, BATCH, 1, false)) {
      ClassifierTrainer.train(spec, 1, train, null, counting, dir.resolve("model"));
    }
    double perStep = (faults[1] - faults[0]) / (double) (STEPS - FIRST_COUNTED);
    assertTrue(perStep < 300, perStep + " page faults per LeNet step at batch 128 (about 40 when the heap keeps "
        + "freed memory, 700-3,500 when it hands it back to the kernel after every step)");
  }
}
