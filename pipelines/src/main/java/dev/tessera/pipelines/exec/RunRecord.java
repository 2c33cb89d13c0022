package dev.tessera.pipelines.exec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The persisted state of one run ({@code runs/<id>/run.json}), rewritten atomically at every transition. */
public final class RunRecord {
  /**
   * The run tag (and {@link #firing}) naming the schedule firing that started a run, {@code <schedule>@<instant>}:
   * a scheduler taking over finds the run of a firing by it even after the run's process has ended.
   */
  public static final String FIRING_TAG = "tessera.firing";

  public String runId;
  public String experiment;
  /** The experiment file it was compiled from ({@code tessera run MyExperiment.java}), or null if registered. */
  public String experimentFile;
  public RunOutcome status = RunOutcome.RUNNING;
  public long createdAtMillis;
  public Long endedAtMillis;
  /** The {@code --set} overrides, as typed, so {@code resume} rebuilds the same experiment. */
  public List<String> overrides = new ArrayList<>();
  public Map<String, String> params = new LinkedHashMap<>();
  public int parallelism;
  public boolean noCache;
  public List<String> pipelineArgs = new ArrayList<>();
  public String trackedRunId;
  public String trackerLocation;
  public long pid;
  /** The schedule firing that started this run ({@code <schedule>@<instant>}), or null when started by hand. */
  public String firing;
  /** Stage name → state, in topological order. */
  public Map<String, StageRecord> stages = new LinkedHashMap<>();

  /** Wall time from creation to end (or now, while running). */
  public long durationMillis() {
    return (endedAtMillis == null ? System.currentTimeMillis() : endedAtMillis) - createdAtMillis;
  }
}
