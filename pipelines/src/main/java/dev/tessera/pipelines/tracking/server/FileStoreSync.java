package dev.tessera.pipelines.tracking.server;

import dev.tessera.pipelines.tracking.RunStatus;
import dev.tessera.pipelines.tracking.mlflow.FileStoreReader;
import dev.tessera.pipelines.tracking.mlflow.StoredRun;
import dev.tessera.pipelines.tracking.mlflow.SystemTags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlflow.api.proto.Service;

/**
 * Replays the runs of an embedded file store ({@code ./mlruns}) into an MLflow server ({@code tessera mlflow
 * sync}), idempotently: each server copy is tagged {@value #SYNCED_FROM} = the local run id once complete, and a
 * run whose complete copy exists is skipped, so a second sync adds nothing. A copy left incomplete by an
 * interrupted sync (tagged {@value #SYNC_SOURCE} but not yet {@value #SYNCED_FROM}) is deleted and copied again.
 *
 * <p>Params, tags, full metric histories (with their timestamps and steps), artifacts, status, start and end
 * times are copied; child runs keep their parent link (rewritten to the parent's server id). Runs still
 * {@code RUNNING} locally are skipped.
 */
public final class FileStoreSync {
  public static final String SYNCED_FROM = "tessera.synced_from";
  public static final String SYNC_SOURCE = "tessera.sync_source";

  private FileStoreSync() {}

  /** What a sync did. */
  public record Report(List<String> synced, List<String> skipped, List<String> running) {}

  /**
   * Copies every finished run of {@code mlruns} that the server does not have yet.
   *
   * <pre>{@code
   * FileStoreSync.Report report = FileStoreSync.sync(Path.of("mlruns"), ServerTracker.connect(settings));
   * }</pre>
   */
  public static Report sync(Path mlruns, ServerTracker target) {
    List<StoredRun> runs = new ArrayList<>(FileStoreReader.at(mlruns).runs());
    // Parents first, so children can point at their parent's server id.
    runs.sort((a, b) -> Boolean.compare(a.tags().containsKey(SystemTags.PARENT_RUN_ID),
        b.tags().containsKey(SystemTags.PARENT_RUN_ID)));
    Map<String, String> serverIds = new HashMap<>();
    List<String> synced = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<String> running = new ArrayList<>();
    for (StoredRun run : runs) {
      if (run.status() == RunStatus.RUNNING || run.status() == RunStatus.SCHEDULED) {
        running.add(run.runId());
        continue;
      }
      String experimentId = target.experimentId(run.experimentName());
      List<Service.RunInfo> complete = search(target, experimentId, SYNCED_FROM, run.runId());
      if (!complete.isEmpty()) {
        serverIds.put(run.runId(), complete.get(0).getRunId());
        skipped.add(run.runId());
        continue;
      }
      for (Service.RunInfo partial : search(target, experimentId, SYNC_SOURCE, run.runId())) {
        target.call("runs/delete " + partial.getRunId(), () -> {
          target.client().deleteRun(partial.getRunId());
          return null;
        });
      }
      serverIds.put(run.runId(), copy(run, experimentId, target, serverIds));
      synced.add(run.runId());
    }
    return new Report(synced, skipped, running);
  }

  private static String copy(StoredRun run, String experimentId, ServerTracker target,
      Map<String, String> serverIds) {
    Map<String, String> tags = new LinkedHashMap<>(run.tags());
    String parent = tags.get(SystemTags.PARENT_RUN_ID);
    if (parent != null && serverIds.containsKey(parent)) {
      tags.put(SystemTags.PARENT_RUN_ID, serverIds.get(parent));
    }
    tags.put(SYNC_SOURCE, run.runId());
    Service.CreateRun.Builder request = Service.CreateRun.newBuilder()
        .setExperimentId(experimentId)
        .setStartTime(run.startTimeMillis())
        .setRunName(run.runName());
    tags.forEach((k, v) -> request.addTags(Service.RunTag.newBuilder().setKey(k).setValue(v)));
    Service.RunInfo info = target.call("runs/create", () -> target.client().createRun(request.build()));
    ServerRun copy = target.open(experimentId, info.getRunId(), Map.of());
    copy.logParams(run.params());
    run.metrics().forEach((key, points) -> points.forEach(
        p -> copy.logMetric(key, p.value(), p.step(), p.timestampMillis())));
    if (Files.isDirectory(run.artifactsDirectory())) {
      copy.logArtifact(run.artifactsDirectory(), "");
    }
    copy.setTags(Map.of(SYNCED_FROM, run.runId()));
    copy.end(run.status(), run.endTimeMillis() == null ? run.startTimeMillis() : run.endTimeMillis());
    return info.getRunId();
  }

  private static List<Service.RunInfo> search(ServerTracker target, String experimentId, String tag,
      String value) {
    String filter = "tags.`" + tag + "` = '" + value + "'";
    return target.call("runs/search", () -> target.client().searchRuns(List.of(experimentId), filter));
  }
}
