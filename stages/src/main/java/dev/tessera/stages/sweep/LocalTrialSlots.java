package dev.tessera.stages.sweep;

import dev.tessera.pipelines.tracking.TrackedRun;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Jobs in a pool of threads of this process, one per slot, each running the wrapped stages through a
 * {@link TrialRunner} and logging straight into the trial's child run.
 */
final class LocalTrialSlots implements TrialSlots {
  private final TrialRunner runner;
  private final int slots;
  private final ExecutorService pool;
  private final CompletionService<SweepRecord> done;
  private final Map<Future<SweepRecord>, TrialRunner.Job> jobs = new HashMap<>();

  /** {@code slots} threads named {@code <stage>-slot-<n>}. */
  LocalTrialSlots(TrialRunner runner, int slots, String stageName) {
    this.runner = runner;
    this.slots = slots;
    AtomicInteger slot = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(slots, task -> {
      Thread thread = new Thread(task, stageName + "-slot-" + slot.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    this.done = new ExecutorCompletionService<>(pool);
  }

  @Override
  public int capacity() {
    return slots;
  }

  @Override
  public void submit(TrialRunner.Job job, TrackedRun run) {
    jobs.put(done.submit(() -> runner.run(job, run)), job);
  }

  @Override
  public List<Ended> awaitEnded() throws Exception {
    Future<SweepRecord> finished = done.take();
    TrialRunner.Job job = jobs.remove(finished);
    try {
      return List.of(new Ended(job, finished.get()));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause; // cancellation, or a mistake in the sweep itself
      }
      throw e;
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the scheduler still ends the open runs
    }
  }
}
