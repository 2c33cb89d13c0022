package dev.tessera.stages.sweep;

import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.tracking.RunStatus;
import dev.tessera.pipelines.tracking.TrackedRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides which job runs next and hands up to {@code sweep.parallelism} of them at once to the {@link TrialSlots}:
 * new trials suggested by the strategy and, with successive halving, promotions of trials to the next rung (ASHA: a
 * free slot first promotes any trial in the best {@code 1/eta} of its rung so far, highest rung first, and else
 * starts a new trial). Local slots free one at a time; Beam slots run the jobs handed over as one job of the runner
 * and free them together, so a batch is decided from the results of the batches before it.
 *
 * <p>Only the calling thread decides, appends to {@code trials.jsonl} and ends child runs; the slots only run jobs.
 * Trial {@code i} draws from {@link Sweep#trialRandom}(experiment seed, i), and the strategy sees the trials
 * ended so far, each with its value at the highest rung it finished (see {@link #observations}). With one slot the
 * sweep is reproducible from the seed; with several, TPE's suggestions depend on which trials happened to end
 * first (random search and grids do not). Trainings in slots take turns for each forward and backward pass (DJL's
 * PyTorch engine has one gradient collector per process), so slots overlap data loading, optimizer updates and
 * evaluation, not the passes themselves.
 */
final class SweepScheduler {
  private final StageContext context;
  private final SweepSpec spec;
  private final Strategy strategy;
  private final int trials;
  private final Path log;
  private final SuccessiveHalving halving;
  private final List<Double> budgets;

  private final List<SweepRecord> records;
  private final TreeSet<Integer> unstarted = new TreeSet<>();
  /** Trials in a slot now, and the rung they are training to. */
  private final Map<String, Integer> running = new HashMap<>();
  /** Trials whose job at some rung failed: that rung counts as reached, so they are not promoted again. */
  private final Map<String, Integer> failedAt = new HashMap<>();
  private final Map<Integer, TrackedRun> open = new HashMap<>();
  private final TrialRuns trialRuns;

  SweepScheduler(StageContext context, SweepSpec spec, Strategy strategy, int trials, Path log,
      List<SweepRecord> ended) throws java.io.IOException {
    this.context = context;
    this.trialRuns = new TrialRuns(context);
    this.spec = spec;
    this.strategy = strategy;
    this.trials = trials;
    this.log = log;
    this.halving = spec.halving().enabled()
        ? SuccessiveHalving.asynchronous(spec.halving().settings(spec.directionValue())) : null;
    this.budgets = halving == null ? List.of() : halving.settings().rungBudgets();
    this.records = new ArrayList<>(ended);
    for (int i = 0; i < trials; i++) {
      unstarted.add(i);
    }
    for (SweepRecord record : ended) {
      if (record.rung() == 0) {
        unstarted.remove(record.index());
      }
      if (!record.finished()) {
        failedAt.merge(Integer.toString(record.index()), record.rung(), Math::max);
      }
    }
  }

  /** The top rung (0 without halving). */
  int topRung() {
    return Math.max(0, budgets.size() - 1);
  }

  /**
   * Runs jobs in {@code slots} until no trial is left to start or promote; returns every job's record, the earlier
   * ones first. The slots are closed before the open child runs are ended.
   */
  List<SweepRecord> run(TrialSlots slots) throws Exception {
    boolean completed = false;
    try {
      open.putAll(trialRuns.reattach(this::latest, topRung()));
      try (slots) {
        int inFlight = 0;
        while (true) {
          context.checkCancelled();
          Optional<TrialRunner.Job> next;
          while (inFlight < slots.capacity() && (next = next()).isPresent()) {
            TrialRunner.Job job = next.get();
            TrackedRun run = runFor(job);
            running.put(Integer.toString(job.index()), job.rung());
            slots.submit(job, run);
            inFlight++;
          }
          if (inFlight == 0) {
            break;
          }
          for (TrialSlots.Ended ended : slots.awaitEnded()) {
            inFlight--;
            running.remove(Integer.toString(ended.job().index()));
            ended(ended.job(), ended.record());
          }
        }
        completed = true;
      }
    } finally {
      for (Map.Entry<Integer, TrackedRun> entry : open.entrySet()) {
        if (completed) {
          stopped(entry.getKey(), entry.getValue());
        } else {
          trialRuns.interrupted(entry.getValue());
        }
      }
    }
    return records;
  }

  /** The next job: a promotion if one is allowed, else a new trial, else none. */
  private Optional<TrialRunner.Job> next() {
    if (halving != null) {
      Map<String, Integer> claimed = new HashMap<>(failedAt);
      running.forEach((trial, rung) -> claimed.merge(trial, rung, Math::max));
      Optional<Promotion> promotion = halving.next(results(), claimed);
      if (promotion.isPresent()) {
        int index = Integer.parseInt(promotion.get().trial());
        Trial trial = new Trial(latest(index).orElseThrow().values());
        return Optional.of(new TrialRunner.Job(index, trial, promotion.get().toRung(),
            (int) Math.round(promotion.get().budget())));
      }
    }
    if (unstarted.isEmpty()) {
      return Optional.empty();
    }
    int index = unstarted.pollFirst();
    Trial trial = strategy instanceof GridSearch grid ? grid.points().get(index)
        : strategy.suggest(history(), Sweep.trialRandom(context.seed(), index));
    return Optional.of(new TrialRunner.Job(index, trial, 0, halving == null ? 0 : (int) Math.round(budgets.get(0))));
  }

  /** The trial's open child run (reopened by a resumed sweep, see {@link TrialRuns}), or a new one. */
  private TrackedRun runFor(TrialRunner.Job job) throws java.io.IOException {
    TrackedRun run = open.get(job.index());
    if (run == null) {
      run = trialRuns.start(job, latest(job.index()));
      open.put(job.index(), run);
    }
    return run;
  }

  private void ended(TrialRunner.Job job, SweepRecord record) throws java.io.IOException {
    record.append(log);
    records.add(record);
    TrackedRun run = open.get(job.index());
    if (!record.finished()) {
      failedAt.merge(Integer.toString(job.index()), job.rung(), Math::max);
      run.end(RunStatus.FAILED);
      open.remove(job.index());
    } else if (job.rung() >= topRung()) {
      run.end(RunStatus.FINISHED);
      open.remove(job.index());
    }
    int started = trials - unstarted.size();
    context.progress().update(started, trials, String.format(Locale.ROOT, "trial %d/%d%s%s", started, trials,
        halving == null ? "" : ", rung " + job.rung() + " (" + record.epochs() + " epochs)",
        SweepOutputs.best(records, spec.directionValue(), topRung())
            .map(r -> String.format(Locale.ROOT, ", best so far %.4f", r.value())).orElse("")));
  }

  /** Ends the run of a trial successive halving did not promote further, as KILLED, saying why. */
  private void stopped(int index, TrackedRun run) {
    SweepRecord last = latest(index).orElseThrow();
    run.setTags(Map.of("tessera.sweep.stopped", String.format(Locale.ROOT, "successive halving stopped it after "
        + "rung %d (%d epochs): not among the best 1/%d of that rung", last.rung(), last.epochs(),
        spec.halving().eta())));
    run.end(RunStatus.KILLED);
  }

  private List<RungResult> results() {
    List<RungResult> results = new ArrayList<>();
    for (SweepRecord record : records) {
      if (record.finished()) {
        results.add(new RungResult(Integer.toString(record.index()), record.rung(), record.value()));
      }
    }
    return results;
  }

  /**
   * The strategy's history: each trial that finished a job, with its value at the highest rung it finished, in
   * trial order (see {@link #observations}).
   */
  private List<FinishedTrial> history() {
    return observations(records);
  }

  /**
   * Each trial's observation for the strategy: the value of its finished job at the highest rung, with that rung,
   * in trial order; trials without a finished job are left out. A promoted trial so counts with what it reached
   * higher up (and {@link TpeSearch#ranked} puts trials that went further first), as Optuna's TPE reads a pruned
   * trial's last intermediate value. A trial whose promotion failed keeps the value of the rung it finished.
   */
  static List<FinishedTrial> observations(List<SweepRecord> records) {
    Map<Integer, SweepRecord> highest = new TreeMap<>();
    for (SweepRecord record : records) {
      if (record.finished()) {
        highest.merge(record.index(), record, (a, b) -> b.rung() > a.rung() ? b : a);
      }
    }
    List<FinishedTrial> history = new ArrayList<>();
    for (SweepRecord r : highest.values()) {
      history.add(new FinishedTrial(new Trial(r.values()), r.value(), r.rung()));
    }
    return history;
  }

  private Optional<SweepRecord> latest(int index) {
    SweepRecord latest = null;
    for (SweepRecord record : records) {
      if (record.index() == index && (latest == null || record.rung() >= latest.rung())) {
        latest = record;
      }
    }
    return Optional.ofNullable(latest);
  }
}
