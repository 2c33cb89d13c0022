package dev.tessera.pipelines.exec;

import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.artifact.ArtifactStore;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.PrefixingStageTracker;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.tracking.TrackedRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/** The {@link StageContext} of one attempt of one stage. */
final class RunningStage implements StageContext {
  private final String runId;
  private final String stageName;
  private final long seed;
  private final int attempt;
  private final List<ArtifactKind> inputKinds;
  private final List<Artifact> inputs;
  private final Path outputDirectory;
  private final String outputLocation;
  private final ArtifactStore store;
  private final Path runDirectory;
  private final List<String> pipelineArgs;
  private final RunListener listener;
  private final TrackedRun trackedRun;
  private final BooleanSupplier cancelled;

  /**
   * A stage attempt whose inputs come from {@code store} (downloaded on {@link #input} when only the remote root
   * has them) and whose Beam workers write to {@code outputLocation} (a remote staging folder; null: the output
   * directory).
   */
  RunningStage(String runId, String stageName, long seed, int attempt, List<ArtifactKind> inputKinds,
      List<Artifact> inputs, ArtifactStore store, Path outputDirectory, String outputLocation, Path runDirectory,
      List<String> pipelineArgs, RunListener listener, TrackedRun trackedRun, BooleanSupplier cancelled) {
    this.store = store;
    this.outputLocation = outputLocation;
    this.runId = runId;
    this.stageName = stageName;
    this.seed = seed;
    this.attempt = attempt;
    this.inputKinds = inputKinds;
    this.inputs = inputs;
    this.outputDirectory = outputDirectory;
    this.runDirectory = runDirectory;
    this.pipelineArgs = pipelineArgs;
    this.listener = listener;
    this.trackedRun = trackedRun;
    this.cancelled = cancelled;
  }

  @Override
  public String runId() {
    return runId;
  }

  @Override
  public String stageName() {
    return stageName;
  }

  @Override
  public long seed() {
    return seed;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public Artifact input(ArtifactKind kind) {
    List<Artifact> matching = inputs(kind);
    if (matching.size() != 1) {
      throw new IllegalStateException("Stage '" + stageName + "' asked for its one input of kind '" + kind
          + "', but it has " + matching.size() + " (its input kinds: " + inputKinds + ").");
    }
    return matching.get(0);
  }

  @Override
  public List<Artifact> inputs(ArtifactKind kind) {
    return stored(kind).stream().map(a -> store == null ? a : store.localize(a)).toList();
  }

  private List<Artifact> stored(ArtifactKind kind) {
    return inputs.stream().filter(a -> a.manifest().kind().equals(kind.id())).toList();
  }

  @Override
  public String inputLocation(ArtifactKind kind) {
    List<Artifact> matching = stored(kind);
    if (store == null || matching.size() != 1) {
      return StageContext.super.inputLocation(kind);
    }
    try {
      return store.location(matching.get(0));
    } catch (IOException e) {
      throw new UncheckedIOException("stage '" + stageName + "' cannot reach its input " + matching.get(0).key()
          + " on the artifact root: " + e.getMessage(), e);
    }
  }

  /** From the manifest the run already has: an input only the remote root holds is not downloaded for it. */
  @Override
  public String inputDigest(ArtifactKind kind) {
    List<Artifact> matching = stored(kind);
    return matching.size() == 1 ? matching.get(0).digest() : StageContext.super.inputDigest(kind);
  }

  @Override
  public Path outputDirectory() {
    return outputDirectory;
  }

  @Override
  public String outputLocation() {
    return outputLocation != null ? outputLocation : outputDirectory.toString();
  }

  @Override
  public Path workDirectory() {
    Path dir = runDirectory.resolve("work").resolve(stageName);
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the work directory " + dir, e);
    }
  }

  @Override
  public List<String> pipelineArgs() {
    return pipelineArgs;
  }

  @Override
  public Progress progress() {
    return new Progress() {
      @Override
      public void update(long done, long total, String message) {
        listener.progress(stageName, done, total, message);
      }

      @Override
      public void log(String message) {
        appendLog(message);
        listener.log(stageName, message);
      }
    };
  }

  @Override
  public StageTracker tracker() {
    return PrefixingStageTracker.forStage(trackedRun, stageName, runId);
  }

  /** Under Tessera's home ({@code shared/<key>}), beside {@code runs/}: later runs find it. */
  @Override
  public Path sharedWorkDirectory(String key) {
    Path dir = runDirectory.getParent().resolveSibling("shared").resolve(key);
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the shared work directory " + dir, e);
    }
  }

  @Override
  public void checkCancelled() throws InterruptedException {
    if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
      throw new InterruptedException("run " + runId + " was cancelled");
    }
  }

  void appendLog(String message) {
    Path log = runDirectory.resolve("logs").resolve(stageName + ".log");
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(log, Instant.now() + " " + message + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the stage log " + log, e);
    }
  }
}
