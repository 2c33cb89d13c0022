package dev.tessera.stages.sweep;

import dev.tessera.pipelines.artifact.ArtifactStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a finished sweep keeps of its trial folders ({@code trial-<i>} in the sweep's shared folder of the Tessera
 * home, {@code shared/<key>}): only what a later run of the same sweep with other trial counts can use. Such a run
 * reuses every record of {@code trials.jsonl} (kept), may promote a trial successive halving had stopped (its
 * {@code train-work}, the checkpoints a promotion continues from, is kept) and outputs the model of its best trial,
 * which may be any trial trained to the top rung (with fewer trials, an earlier one; so each such trial keeps its
 * {@code train}, the model alone). Everything else goes once the sweep has written its output: the folders of
 * failed trials, the checkpoints of trials trained to the top rung (nothing trains them further), every trial's
 * evaluate folders, and a stopped trial's model, which its promotion rewrites. The folder of a sweep whose
 * settings, code, seed or data changed is not used again and stays until removed by hand; the sweep's log names
 * the folder it used.
 */
final class TrialFolders {
  private TrialFolders() {}

  /**
   * Prunes {@code root} after a finished sweep.
   *
   * @param records every job's record, of this run and the ones it reused
   * @param topRung the top rung (0 without halving)
   * @return the bytes removed
   */
  static long prune(Path root, List<SweepRecord> records, int topRung) throws IOException {
    long removed = 0;
    Map<Integer, SweepRecord> last = new java.util.TreeMap<>();
    SweepOutputs.lastJobs(records).forEach(r -> last.put(r.index(), r));
    for (SweepRecord trial : last.values()) {
      Path dir = root.resolve("trial-" + trial.index());
      if (!Files.isDirectory(dir)) {
        continue;
      }
      if (!trial.finished()) {
        removed += delete(root, dir.getFileName().toString());
      } else if (trial.rung() < topRung) {
        removed += delete(dir, "train", "evaluate", "evaluate-work");
      } else {
        removed += delete(dir, "train-work", "evaluate", "evaluate-work");
      }
    }
    return removed;
  }

  private static long delete(Path dir, String... names) throws IOException {
    long bytes = 0;
    for (String name : names) {
      Path target = dir.resolve(name);
      if (Files.exists(target)) {
        bytes += ArtifactStore.sizeOf(target);
        TrialRunner.deleteTree(target);
      }
    }
    return bytes;
  }
}
