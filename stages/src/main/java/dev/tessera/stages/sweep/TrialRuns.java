package dev.tessera.stages.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.tracking.RunStatus;
import dev.tessera.pipelines.tracking.TrackedRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The child runs of a sweep's trials across the attempts of one Tessera run, so that {@code tessera resume} keeps
 * one child run per trial. Every child run started is noted in {@code trial-runs.jsonl} of the stage's work
 * directory (which resume keeps, and a new run does not share). A resumed sweep then:
 *
 * <ul>
 *   <li>leaves the runs of trials that ended (finished to the top rung, or failed) as they are: their jobs do not
 *       run again, and no new run is started for them;
 *   <li>reopens the run of a trial that finished a lower rung (successive halving), so that a promotion goes on
 *       logging into it, and a trial never promoted again is ended as stopped in it;
 *   <li>ends the run of a trial cut off inside its first rung as {@code KILLED}, tagged
 *       {@code tessera.sweep.interrupted}, and trains the trial again from the start in a new run tagged
 *       {@code tessera.sweep.reruns} (the old id): the first rung restarts from nothing, and its metric history
 *       would otherwise hold the same steps twice.
 * </ul>
 *
 * A run with more trials than an earlier one (a new Tessera run) reuses the earlier trials' records but starts new
 * child runs under its own parent for the trials it trains further, tagged {@code tessera.sweep.continues}.
 */
final class TrialRuns {
  static final String INTERRUPTED = "tessera.sweep.interrupted";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StageContext context;
  private final Path file;
  /** Trial index to the child run an earlier attempt of this run started for it (the last one). */
  private final Map<Integer, String> earlier = new LinkedHashMap<>();
  /** Trials cut off inside their first rung, to the run that was ended for it. */
  private final Map<Integer, String> reruns = new HashMap<>();

  TrialRuns(StageContext context) throws IOException {
    this.context = context;
    this.file = context.workDirectory().resolve("trial-runs.jsonl");
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        try {
          Started started = JSON.readValue(line, Started.class);
          earlier.put(started.trial(), started.run());
        } catch (IOException torn) {
          break; // the process died while writing this line: that run is not continued
        }
      }
    }
  }

  /**
   * Reopens the runs of an earlier attempt that trials go on in (see the class comment), and ends those of trials
   * cut off in their first rung; returns the reopened runs by trial.
   *
   * @param latest a trial's latest job record (its highest rung), from any run
   * @param topRung the top rung (0 without halving)
   */
  Map<Integer, TrackedRun> reattach(IntFunction<Optional<SweepRecord>> latest, int topRung) {
    Map<Integer, TrackedRun> reopened = new LinkedHashMap<>();
    earlier.forEach((index, runId) -> {
      Optional<SweepRecord> last = latest.apply(index);
      if (last.isPresent() && (!last.get().finished() || last.get().rung() >= topRung)) {
        return; // ended: its run was ended with it
      }
      Optional<TrackedRun> run = context.tracker().reopenTrial(runId);
      if (run.isEmpty()) {
        context.progress().log("trial " + index + ": its run " + runId + " could not be reopened; a new one starts");
      } else if (last.isPresent()) {
        run.get().setTags(Map.of(INTERRUPTED, "the sweep was interrupted while this trial waited for or trained "
            + "a promotion; tessera resume " + context.runId() + " continued it in this run"));
        reopened.put(index, run.get());
      } else {
        run.get().setTags(Map.of(INTERRUPTED, "the sweep was interrupted while this trial trained its first rung; "
            + "tessera resume " + context.runId() + " trained it again from the start in a new run"));
        run.get().end(RunStatus.KILLED);
        reruns.put(index, runId);
      }
    });
    return reopened;
  }

  /**
   * Starts the child run of {@code job}'s trial and notes it.
   *
   * @param earlierJob the trial's latest job record from an earlier run, whose run the new one continues
   */
  TrackedRun start(TrialRunner.Job job, Optional<SweepRecord> earlierJob) throws IOException {
    TrackedRun run = context.tracker().startTrial(context.stageName() + "-" + job.index(), job.trial().values());
    Map<String, String> tags = new LinkedHashMap<>();
    // A sweep run again with more trials: the trial's earlier rungs are in that run's child.
    earlierJob.ifPresent(record -> tags.put("tessera.sweep.continues", record.runId()));
    Optional.ofNullable(reruns.get(job.index())).ifPresent(old -> tags.put("tessera.sweep.reruns", old));
    if (!tags.isEmpty()) {
      run.setTags(tags);
    }
    Files.writeString(file, JSON.writeValueAsString(new Started(job.index(), run.id())) + "\n",
        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
    return run;
  }

  /** Ends a trial's open run when the sweep is cancelled, saying how to go on. */
  void interrupted(TrackedRun run) {
    run.setTags(Map.of(INTERRUPTED, "the sweep was cancelled while this trial was open (training, or waiting for "
        + "a promotion); tessera resume " + context.runId() + " goes on with it"));
    run.end(RunStatus.KILLED);
  }

  /** A line of {@code trial-runs.jsonl}: trial {@code trial}'s child run {@code run} was started. */
  record Started(int trial, String run) {}
}
