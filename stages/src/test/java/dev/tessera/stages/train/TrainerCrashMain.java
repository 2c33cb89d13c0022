package dev.tessera.stages.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The child JVM of {@link SigkillResumeTest}: trains with checkpoints in {@code args[0]} and, when step
 * {@code args[2]} is reached, writes the marker file {@code args[1]} and waits to be killed.
 */
public final class TrainerCrashMain {
  private TrainerCrashMain() {}

  public static void main(String[] args) throws Exception {
    Path checkpoints = Path.of(args[0]);
    Path marker = Path.of(args[1]);
    long stopAt = Long.parseLong(args[2]);
    TrainingCallbacks callbacks = new TrainingCallbacks() {
      @Override
      public void metric(String key, double value, long step) {
        if (key.equals("train/loss") && step == stopAt) {
          try {
            Files.writeString(marker, "at step " + step);
            new CountDownLatch(1).await(); // until SIGKILL
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      }

      @Override
      public void progress(int epoch, long batchInEpoch, long batchesPerEpoch, String message) {}

      @Override
      public void checkCancelled() {}
    };
    SigkillResumeTest.train(callbacks, checkpoints.getParent().resolve("child-model"),
        Checkpoints.in(checkpoints, "sigkill"));
  }
}
