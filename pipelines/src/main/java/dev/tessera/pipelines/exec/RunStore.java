package dev.tessera.pipelines.exec;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.spec.Specs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Runs on disk: {@code runs/<run-id>/run.json}, written to a temporary file, flushed, and renamed over the old one,
 * so a crash at any instant leaves either the previous or the new state, never a torn file.
 */
public final class RunStore {
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  // Stages stay in topological order (no sorted map keys); fields unknown to an older reader are ignored.
  private final ObjectMapper json = Specs.mapper().copy()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  private final Path runs;

  public RunStore(Path home) {
    this.runs = home.resolve("runs");
    try {
      Files.createDirectories(runs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + runs + " (set TESSERA_HOME to a writable directory)", e);
    }
  }

  /** A new sortable run id such as {@code 20261122-031500-4f2a9c}. */
  public static String newRunId() {
    return LocalDateTime.now(ZoneOffset.UTC).format(ID_TIME) + "-"
        + UUID.randomUUID().toString().replace("-", "").substring(0, 6);
  }

  /** The run's directory (holds {@code run.json}, {@code spec.json} and stage work directories). */
  public Path directory(String runId) {
    return runs.resolve(runId);
  }

  /**
   * Persists the run atomically. Safe on a thread that is being interrupted (Ctrl-C interrupts running stages,
   * which must still record that they were cancelled): an interrupt closes a file channel mid-write, so the write
   * is retried with the interrupt set aside, and the interrupt is restored afterwards.
   */
  public void save(RunRecord run) {
    Path dir = directory(run.runId);
    boolean interrupted = Thread.interrupted();
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          write(run, dir);
          return;
        } catch (java.nio.channels.ClosedByInterruptException e) {
          interrupted |= Thread.interrupted();
          if (attempt == 5) {
            throw new UncheckedIOException("cannot save run state to " + dir + ": interrupted 5 times", e);
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot save run state to " + dir, e);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void write(RunRecord run, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path temp = dir.resolve("run.json." + UUID.randomUUID() + ".tmp");
    try {
      Files.write(temp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(run));
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(temp, dir.resolve("run.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Loads a run. */
  public Optional<RunRecord> load(String runId) {
    try {
      return Optional.of(json.readValue(directory(runId).resolve("run.json").toFile(), RunRecord.class));
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read run state " + directory(runId).resolve("run.json"), e);
    }
  }

  /** All runs, newest first; only those of {@code experiment} when it is not null. */
  public List<RunRecord> list(String experiment) {
    List<RunRecord> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(runs)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        load(dir.getFileName().toString())
            .filter(r -> experiment == null || experiment.equals(r.experiment))
            .ifPresent(out::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + runs, e);
    }
    out.sort(Comparator.comparingLong((RunRecord r) -> r.createdAtMillis).reversed()
        .thenComparing(r -> r.runId, Comparator.reverseOrder()));
    return out;
  }

  /** The newest run of an experiment. */
  public Optional<RunRecord> latest(String experiment) {
    return list(experiment).stream().findFirst();
  }
}
