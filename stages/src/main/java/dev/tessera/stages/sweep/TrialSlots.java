package dev.tessera.stages.sweep;

import dev.tessera.pipelines.tracking.TrackedRun;
import java.util.List;

/**
 * Where a sweep's jobs train: {@link LocalTrialSlots} (threads of this process) or {@link BeamTrialSlots} (elements
 * of a Beam job on the run's runner). The {@link SweepScheduler} decides what runs; slots only run it and hand back
 * each job's record, so both give the strategy the same results.
 */
interface TrialSlots extends AutoCloseable {

  /** How many jobs may be submitted before {@link #awaitEnded} must be called. */
  int capacity();

  /** Queues or starts {@code job}, logging into the trial's child run {@code run} (not ended here). */
  void submit(TrialRunner.Job job, TrackedRun run) throws Exception;

  /**
   * Waits until at least one submitted job has ended and returns those that have, in the order they ended. A
   * failing trial comes back as a {@code FAILED} record; a mistake in the sweep itself and cancellation are thrown.
   */
  List<Ended> awaitEnded() throws Exception;

  /** Stops whatever still runs. */
  @Override
  void close();

  /** A job and the record it ended with. */
  record Ended(TrialRunner.Job job, SweepRecord record) {}
}
