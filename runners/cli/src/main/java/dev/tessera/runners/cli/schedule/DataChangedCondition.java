package dev.tessera.runners.cli.schedule;

import dev.tessera.pipelines.artifact.Digests;
import dev.tessera.pipelines.dag.StageNode;
import dev.tessera.pipelines.datasets.FolderDigest;
import dev.tessera.runners.cli.Experiments;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code --when data-changed}: a firing runs only when the experiment's input data differs from what the last
 * successful run of the schedule read. The data is what the experiment's stages declare as
 * {@link dev.tessera.pipelines.dag.Stage#externalData()}: a local dataset folder is digested by its files' names
 * and contents (files whose size and time did not change are not read again); catalog datasets are pinned by
 * checksums in code and never change. Each firing's digest is kept beside the schedule's history, so a failed run
 * is retried at the next firing even when nothing changed since.
 */
public final class DataChangedCondition implements FiringCondition {
  /** The name after {@code --when}. */
  public static final String NAME = "data-changed";

  private final ScheduleStore store;
  private final Function<ScheduleSpec, List<String>> externalData;
  private final Path indexes;

  @Inject
  DataChangedCondition(ScheduleStore store, Experiments experiments, @Named("tessera.home") Path home) {
    this(store, schedule -> {
      List<String> data = new ArrayList<>();
      for (StageNode node : experiments.resolve(schedule.experiment(), schedule.overrides()).stages()) {
        data.addAll(node.stage().externalData());
      }
      return data;
    }, home.resolve(dev.tessera.pipelines.exec.ExternalData.INDEXES));
  }

  DataChangedCondition(ScheduleStore store, Function<ScheduleSpec, List<String>> externalData, Path indexes) {
    this.store = store;
    this.externalData = externalData;
    this.indexes = indexes;
  }

  @Override
  public Optional<String> skipReason(ScheduleSpec schedule, Instant firing) {
    String digest = digest(externalData.apply(schedule));
    Optional<FiringRecord> lastGood = store.firings(schedule.name()).stream()
        .filter(r -> r.outcome().runSucceeded())
        .filter(r -> r.scheduled().isBefore(firing))
        .filter(r -> Files.isRegularFile(digestFile(schedule, r.scheduled())))
        .max(Comparator.comparing(FiringRecord::scheduled));
    write(digestFile(schedule, firing), digest);
    if (lastGood.isEmpty()) {
      return Optional.empty();
    }
    String previous = read(digestFile(schedule, lastGood.get().scheduled()));
    if (!previous.equals(digest)) {
      return Optional.empty();
    }
    return Optional.of("input data unchanged since the successful run of " + lastGood.get().scheduledAt()
        + " (digest " + digest.substring("sha256:".length(), "sha256:".length() + 12) + ")");
  }

  /** One digest over every external input: folders by content, other identities as they are. */
  String digest(List<String> data) {
    StringBuilder text = new StringBuilder();
    for (String item : data) {
      if (item.startsWith("folder:")) {
        Path folder = Path.of(item.substring("folder:".length()));
        if (!Files.isDirectory(folder)) {
          throw new IllegalStateException("the experiment reads the dataset folder " + folder + ", which does not "
              + "exist: create it or fix the experiment's ingest path");
        }
        text.append(item).append(' ').append(FolderDigest.of(folder, FolderDigest.indexIn(indexes, folder)))
            .append('\n');
      } else {
        text.append(item).append('\n');
      }
    }
    return "sha256:" + Digests.sha256Hex(text.toString());
  }

  private Path digestFile(ScheduleSpec schedule, Instant firing) {
    return store.directory(schedule.name()).resolve("data-digests").resolve(firing.toEpochMilli() + ".txt");
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the data digest in " + file, e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the data digest in " + file, e);
    }
  }
}
