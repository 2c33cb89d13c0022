package dev.tessera.pipelines.exec;

import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.artifact.ArtifactStore;
import dev.tessera.pipelines.artifact.Verification;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.dag.RetryableStageException;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.dag.StageNode;
import dev.tessera.pipelines.dag.StageResult;
import dev.tessera.pipelines.spec.Specs;
import dev.tessera.pipelines.tracking.RunStatus;
import dev.tessera.pipelines.tracking.TrackedRun;
import dev.tessera.pipelines.tracking.Tracker;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs an experiment's stages in topological order, independent stages concurrently (up to the parallelism),
 * serving stages from the cache when a verified artifact with the same key exists, retrying retryable failures
 * with exponential backoff, and persisting the run state atomically at every transition.
 *
 * <p>One executor runs one run. {@link #cancel()} (Ctrl-C) interrupts running stages and leaves a state that
 * {@link #resume} continues.
 */
public final class Executor {
  private final ArtifactStore store;
  private final RunStore runs;
  private final Tracker tracker;
  private final ExecutorOptions options;
  private final RunListener listener;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean cancelled;
  private volatile ExecutorService pool;

  public Executor(ArtifactStore store, RunStore runs, Tracker tracker, ExecutorOptions options,
      RunListener listener) {
    this.store = store;
    this.runs = runs;
    this.tracker = tracker;
    this.options = options;
    this.listener = listener;
  }

  /**
   * Starts a new run of an experiment whose overrides are already applied.
   *
   * @param overrides the {@code --set} texts that produced {@code experiment}, kept for {@code resume}
   */
  public RunResult run(Experiment experiment, List<String> overrides) {
    RunRecord run = new RunRecord();
    run.runId = RunStore.newRunId();
    run.experiment = experiment.name();
    run.experimentFile = options.experimentFile();
    run.createdAtMillis = System.currentTimeMillis();
    run.overrides = new ArrayList<>(overrides);
    run.params = experiment.params();
    run.parallelism = options.parallelism();
    run.noCache = options.noCache();
    run.pipelineArgs = new ArrayList<>(options.pipelineArgs());
    run.firing = options.runTags().get(RunRecord.FIRING_TAG);
    for (StageNode node : experiment.stages()) {
      StageRecord record = new StageRecord();
      record.kind = node.stage().kind();
      run.stages.put(node.name(), record);
    }
    return execute(experiment, run, false);
  }

  /**
   * Continues a run: stages that succeeded (and whose artifacts still verify) are reused; the rest run.
   *
   * @param previous the persisted run
   * @param experiment the same experiment, rebuilt with {@code previous.overrides}
   */
  public RunResult resume(RunRecord previous, Experiment experiment) {
    if (!previous.experiment.equals(experiment.name())) {
      throw new IllegalArgumentException("run " + previous.runId + " belongs to experiment '"
          + previous.experiment + "', not '" + experiment.name() + "'");
    }
    previous.status = RunOutcome.RUNNING;
    previous.endedAtMillis = null;
    for (StageNode node : experiment.stages()) {
      StageRecord record = previous.stages.computeIfAbsent(node.name(), k -> new StageRecord());
      if (!record.status.done()) {
        record.status = StageStatus.PENDING;
        record.error = null;
        record.endedAtMillis = null;
      }
    }
    return execute(experiment, previous, true);
  }

  /** Stops the run: no new stage starts; running stages are interrupted. Safe from any thread. */
  public void cancel() {
    cancelled = true;
    ExecutorService current = pool;
    if (current != null) {
      current.shutdownNow();
    }
  }

  /** Waits until the run has persisted its final state (for a shutdown hook after {@link #cancel()}). */
  public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
    return finished.await(timeout, unit);
  }

  private RunResult execute(Experiment experiment, RunRecord run, boolean resuming) {
    try {
      return executeUnsafe(experiment, run, resuming);
    } finally {
      finished.countDown();
    }
  }

  private RunResult executeUnsafe(Experiment experiment, RunRecord run, boolean resuming) {
    store.cleanStaging();
    run.pid = ProcessHandle.current().pid();
    Path runDir = runs.directory(run.runId);
    TrackedRun tracked = startTracking(experiment, run, resuming);
    Map<String, Artifact> artifacts = new HashMap<>();
    for (StageNode node : experiment.stages()) {
      StageRecord record = run.stages.get(node.name());
      if (record.status.done()) {
        Verification verification = store.verify(record.cacheKey);
        if (verification.usable()) {
          artifacts.put(node.name(), verification.artifact().orElseThrow());
        } else {
          record.status = StageStatus.PENDING;
          record.cacheMiss = "its artifact from the earlier attempt is unusable: " + verification.reason();
        }
      }
    }
    save(run);
    listener.runStarted(run);

    AtomicInteger threads = new AtomicInteger();
    // Stages look extensions (models, metrics) up through the context class loader: the caller's, which sees the
    // user's code (an experiment file, --classpath jars).
    ClassLoader userCode = Thread.currentThread().getContextClassLoader();
    pool = Executors.newFixedThreadPool(options.parallelism(), r -> {
      Thread thread = new Thread(r, "tessera-stage-" + threads.incrementAndGet());
      thread.setDaemon(true);
      thread.setContextClassLoader(userCode);
      return thread;
    });
    CompletionService<String> completions = new ExecutorCompletionService<>(pool);
    Map<String, Artifact> published = java.util.Collections.synchronizedMap(artifacts);
    Set<String> inflight = new HashSet<>();
    try {
      while (true) {
        for (StageNode node : experiment.stages()) {
          StageRecord record = run.stages.get(node.name());
          if (cancelled || inflight.size() >= options.parallelism() || inflight.contains(node.name())) {
            continue;
          }
          synchronized (run) {
            if (record.status != StageStatus.PENDING) {
              continue;
            }
          }
          String blocker = blocker(node, run);
          if (blocker != null) {
            update(run, node.name(), r -> {
              r.status = StageStatus.SKIPPED;
              r.error = "not run: '" + blocker + "' did not succeed";
            });
            continue;
          }
          if (node.after().stream().allMatch(d -> run.stages.get(d).status.done())) {
            inflight.add(node.name());
            completions.submit(() -> runStage(experiment, node, run, tracked, published));
          }
        }
        if (inflight.isEmpty()) {
          break;
        }
        try {
          inflight.remove(completions.take().get());
        } catch (InterruptedException e) {
          cancel();
          Thread.currentThread().interrupt();
          break;
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("executor bug: a stage task threw", e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
    if (cancelled) {
      try {
        pool.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return finish(run, tracked, runDir, published);
  }

  private RunResult finish(RunRecord run, TrackedRun tracked, Path runDir, Map<String, Artifact> artifacts) {
    boolean allDone;
    synchronized (run) {
      allDone = run.stages.values().stream().allMatch(r -> r.status.done());
      run.status = cancelled && !allDone ? RunOutcome.CANCELLED
          : allDone ? RunOutcome.SUCCEEDED : RunOutcome.FAILED;
      run.endedAtMillis = System.currentTimeMillis();
      save(run);
    }
    tracked.end(switch (run.status) {
      case SUCCEEDED -> RunStatus.FINISHED;
      case CANCELLED -> RunStatus.KILLED;
      default -> RunStatus.FAILED;
    });
    listener.runFinished(run);
    return new RunResult(run, Map.copyOf(artifacts), runDir);
  }

  private TrackedRun startTracking(Experiment experiment, RunRecord run, boolean resuming) {
    TrackedRun tracked = null;
    if (resuming && run.trackedRunId != null) {
      tracked = tracker.reopen(experiment.name(), run.trackedRunId).orElse(null);
    }
    if (tracked == null) {
      Map<String, String> tags = new LinkedHashMap<>(options.runTags());
      tags.put("mlflow.runName", run.runId);
      tags.put("tessera.run_id", run.runId);
      tags.put("tessera.experiment", experiment.name());
      tracked = tracker.startRun(experiment.name(), run.runId, tags);
      tracked.logParams(run.params);
    }
    run.trackedRunId = tracked.id();
    run.trackerLocation = tracker.location();
    Path specFile = runs.directory(run.runId).resolve("spec.json");
    try {
      Files.createDirectories(specFile.getParent());
      Files.writeString(specFile, experiment.specJson());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + specFile, e);
    }
    tracked.logArtifact(specFile, "spec.json");
    return tracked;
  }

  private static String blocker(StageNode node, RunRecord run) {
    synchronized (run) {
      for (String dependency : node.after()) {
        StageStatus status = run.stages.get(dependency).status;
        if (status == StageStatus.FAILED || status == StageStatus.SKIPPED || status == StageStatus.CANCELLED) {
          return dependency;
        }
      }
    }
    return null;
  }

  private String runStage(Experiment experiment, StageNode node, RunRecord run, TrackedRun tracked,
      Map<String, Artifact> artifacts) {
    String name = node.name();
    Stage<?> stage = node.stage();
    List<Artifact> inputs = node.after().stream().map(artifacts::get).toList();
    Map<String, String> inputDigests = new LinkedHashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      inputDigests.put(node.after().get(i), inputs.get(i).digest());
    }
    CacheKeyParts parts = CacheExplainer.parts(stage, ExternalData.withFolders(stage, inputDigests, store.root()),
        experiment.seed());
    String key = parts.key();
    String miss;
    if (options.noCache()) {
      miss = "--no-cache";
    } else {
      Verification verification = store.verify(key);
      if (verification.usable()) {
        Artifact artifact = verification.artifact().orElseThrow();
        artifacts.put(name, artifact);
        update(run, name, r -> {
          r.keyParts = parts;
          r.cacheKey = key;
          r.cacheMiss = null;
          r.status = StageStatus.CACHED;
          r.reusedFromRun = artifact.manifest().runId();
          r.artifactDigest = artifact.digest();
          r.itemCount = artifact.manifest().itemCount();
          r.summary = summaryOf(artifact);
          r.startedAtMillis = System.currentTimeMillis();
          r.endedAtMillis = r.startedAtMillis;
          r.error = null;
        });
        tracked.setTags(Map.of("tessera.cached." + name, artifact.manifest().runId()));
        return name;
      }
      miss = verification.reason();
    }
    update(run, name, r -> {
      r.keyParts = parts;
      r.cacheKey = key;
      r.cacheMiss = miss;
      r.reusedFromRun = null;
    });
    for (int attempt = 1; ; attempt++) {
      Path staging = store.newStaging();
      String remoteStaging = store.newRemoteStaging(key, attempt).orElse(null);
      int current = attempt;
      update(run, name, r -> {
        r.status = StageStatus.RUNNING;
        r.attempts = current;
        r.startedAtMillis = r.startedAtMillis == null || current == 1 ? System.currentTimeMillis()
            : r.startedAtMillis;
        r.error = null;
      });
      RunningStage context = new RunningStage(run.runId, name, experiment.seed(), attempt, stage.inputs(),
          inputs, store, staging, remoteStaging, runs.directory(run.runId), options.pipelineArgs(), listener,
          tracked, () -> cancelled);
      try {
        context.checkCancelled();
        StageResult result = stage.run(context);
        Map<String, String> properties = new LinkedHashMap<>();
        result.summary().forEach((k, v) -> properties.put("summary." + k, Double.toString(v)));
        Artifact artifact = store.publish(staging, remoteStaging, key, stage.output().id(), result.itemCount(),
            run.runId, name, properties);
        artifacts.put(name, artifact);
        long now = System.currentTimeMillis();
        result.summary().forEach((k, v) -> tracked.logMetric(name + "/" + k, v, 0, now));
        update(run, name, r -> {
          r.status = StageStatus.SUCCEEDED;
          r.artifactDigest = artifact.digest();
          r.itemCount = result.itemCount();
          r.summary = new LinkedHashMap<>(result.summary());
          r.endedAtMillis = System.currentTimeMillis();
        });
        return name;
      } catch (Throwable failure) {
        deleteQuietly(staging);
        store.discardRemoteStaging(remoteStaging, failure);
        if (cancelled || isInterruption(failure)) {
          markCancelled(run, name);
          return name;
        }
        String message = describe(failure);
        context.appendLog("attempt " + attempt + " failed:\n" + stackTrace(failure));
        if (isRetryable(failure) && attempt < options.retry().maxAttempts()) {
          long waitMillis = options.retry().backoffBefore(attempt + 1).toMillis();
          update(run, name, r -> {
            r.status = StageStatus.RETRYING;
            r.error = message + " (retrying in " + waitMillis + " ms)";
          });
          try {
            Thread.sleep(waitMillis);
          } catch (InterruptedException e) {
            markCancelled(run, name);
            return name;
          }
          continue;
        }
        update(run, name, r -> {
          r.status = StageStatus.FAILED;
          r.error = message;
          r.endedAtMillis = System.currentTimeMillis();
        });
        return name;
      }
    }
  }

  private void markCancelled(RunRecord run, String name) {
    update(run, name, r -> {
      r.status = StageStatus.CANCELLED;
      r.error = "cancelled";
      r.endedAtMillis = System.currentTimeMillis();
    });
  }

  private static Map<String, Double> summaryOf(Artifact artifact) {
    Map<String, Double> summary = new LinkedHashMap<>();
    artifact.manifest().properties().forEach((k, v) -> {
      if (k.startsWith("summary.")) {
        summary.put(k.substring("summary.".length()), Double.parseDouble(v));
      }
    });
    return summary;
  }

  private void update(RunRecord run, String stage, Consumer<StageRecord> change) {
    StageRecord snapshot;
    synchronized (run) {
      StageRecord record = run.stages.get(stage);
      change.accept(record);
      save(run);
      snapshot = StageRecords.copy(record);
    }
    listener.stageChanged(stage, snapshot);
  }

  private void save(RunRecord run) {
    synchronized (run) {
      runs.save(run);
    }
  }

  private static boolean isRetryable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RetryableStageException) {
        return true;
      }
    }
    return false;
  }

  private static boolean isInterruption(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof InterruptedException || t instanceof ClosedByInterruptException
          || t instanceof InterruptedIOException) {
        return true;
      }
    }
    return false;
  }

  /** The failure's message, followed by its causes' messages where they add something. */
  static String describe(Throwable failure) {
    StringBuilder text = new StringBuilder();
    Set<String> seen = new HashSet<>();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (seen.add(message) && text.indexOf(message) < 0) {
        if (text.length() > 0) {
          text.append(" (caused by ").append(t.getClass().getSimpleName()).append(": ");
        }
        text.append(message);
        if (t != failure) {
          text.append(')');
        }
      }
    }
    return text.toString();
  }

  private static String stackTrace(Throwable failure) {
    StringWriter out = new StringWriter();
    failure.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  private static void deleteQuietly(Path dir) {
    try {
      ArtifactStore.deleteTree(dir);
    } catch (IOException e) {
      // cleanStaging() removes it on the next run.
    }
  }
}
