package dev.tessera.pipelines.dag;

import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.tracking.TrackedRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What the executor gives a running stage: its inputs, where to write, and how to report. */
public interface StageContext {

  /** The id of the Tessera run, such as {@code 20261122-031500-4f2a}. */
  String runId();

  /** The stage's name in the experiment. */
  String stageName();

  /** The experiment seed; stages derive every random choice from it. */
  long seed();

  /** 1 for the first attempt, 2 for the first retry, and so on. */
  int attempt();

  /** The only input of the given kind. */
  Artifact input(ArtifactKind kind);

  /** All inputs of the given kind, in {@code after(...)} order. */
  List<Artifact> inputs(ArtifactKind kind);

  /** An empty directory to write the output into; published atomically when the stage returns. */
  Path outputDirectory();

  /**
   * Where the stage's Beam workers write output files, as a location string for
   * {@code dev.tessera.pipelines.data.Locations}: with an artifact root on shared storage
   * ({@code s3://bucket/prefix}) a staging folder there, which workers on any machine reach; otherwise
   * {@link #outputDirectory()} itself. The artifact is what the stage wrote here and into
   * {@link #outputDirectory()} together (a file may be in one of them only), published when the stage returns.
   */
  default String outputLocation() {
    return outputDirectory().toString();
  }

  /**
   * Where the stage's Beam workers read the only input of the given kind, without copying it to this machine:
   * its folder on the artifact root when there is one, else its local directory. {@link #input} instead gives
   * the artifact with its files in a local directory (downloading them when needed), for work done here.
   */
  default String inputLocation(ArtifactKind kind) {
    return input(kind).directory().toString();
  }

  /**
   * The content digest ({@code sha256:<hex>}) of the only input of the given kind, as its manifest records it,
   * without fetching the input's files: a stage whose workers read the input where it is ({@link #inputLocation})
   * checks their copies against it.
   */
  default String inputDigest(ArtifactKind kind) {
    return input(kind).digest();
  }

  /**
   * A directory that survives failures and {@code tessera resume} of the same run (for checkpoints); deleted
   * never by the executor.
   */
  Path workDirectory();

  /**
   * A directory for work that later runs may reuse when their settings match {@code key} (a sweep's ended trials,
   * found again when the sweep is run with more trials), kept across runs and never deleted by the executor. The
   * stage derives {@code key} from everything that makes the work reusable (settings, seed, code, input digests)
   * and guards concurrent use itself. Outside an executor run it is a folder of the work directory.
   *
   * @param key a file-name-safe digest, such as 64 hex characters
   */
  default Path sharedWorkDirectory(String key) {
    return workDirectory().resolve("shared-" + key);
  }

  /** Arguments for Beam's {@code PipelineOptionsFactory}, such as {@code --runner=DirectRunner}. */
  List<String> pipelineArgs();

  /** Progress of the stage, shown in the live stage table. */
  Progress progress();

  /** Metrics and artifacts for the tracker (MLflow). Keys are prefixed with the stage name. */
  StageTracker tracker();

  /** Throws {@link InterruptedException} if the run was cancelled (Ctrl-C); long loops call it regularly. */
  void checkCancelled() throws InterruptedException;

  /** Progress reporting for one stage. */
  interface Progress {
    /** Reports {@code done} of {@code total} units (total &lt;= 0 when unknown) and a short status message. */
    void update(long done, long total, String message);

    /** A line for the log. */
    void log(String message);

    /** Progress that goes nowhere, for a stage called outside the executor (a benchmark, a champion's check). */
    static Progress none() {
      return NoProgress.INSTANCE;
    }
  }

  /** Tracking for one stage; keys are relative to the stage ({@code loss} becomes {@code train/loss}). */
  interface StageTracker {
    void logMetric(String key, double value, long step);

    /** Copies a file or directory into the run's artifacts under {@code stage/relativePath}. */
    void logArtifact(Path source, String relativePath);

    /**
     * Logs params on the run, keys prefixed with the stage name and a dot ({@code best.learningRate} becomes
     * {@code sweep.best.learningRate}). Params are immutable: logging the same value again is fine.
     */
    void logParams(Map<String, String> params);

    /** Sets tags on the run (last write wins); keys are not prefixed (tags are namespaced, like {@code tessera.}). */
    void setTags(Map<String, String> tags);

    /**
     * Starts a sweep trial: a child run nested under this run ({@code mlflow.parentRunId}), with the trial's
     * params logged on it and tagged with the stage. The trial's keys are its own (not prefixed); the stage ends
     * it with {@link TrackedRun#end}.
     *
     * <pre>{@code
     * TrackedRun trial = context.tracker().startTrial("lr=0.1", Specs.flatten("", trialSpec));
     * trial.logMetric("loss", loss, step, System.currentTimeMillis());
     * trial.end(RunStatus.FINISHED);
     * }</pre>
     */
    TrackedRun startTrial(String name, Map<String, String> params);

    /**
     * Reopens a trial this stage started in an earlier attempt of the same run (for {@code tessera resume} of a
     * sweep), with what it logged so far; empty if the tracker no longer has it or cannot reopen runs.
     *
     * @param trackedRunId the id of the trial's run ({@link TrackedRun#id})
     */
    default java.util.Optional<TrackedRun> reopenTrial(String trackedRunId) {
      return java.util.Optional.empty();
    }

    /**
     * A tracker that records nothing, for a stage called outside the executor (a benchmark, a champion's check);
     * its {@link #startTrial} throws, since a trial nobody records is a sweep whose result is lost.
     */
    static StageTracker none() {
      return NoStageTracker.INSTANCE;
    }
  }
}
