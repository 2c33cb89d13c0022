package dev.tessera.runners.cli.schedule;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Schedules and their histories on disk, under {@code $TESSERA_HOME/schedules/<name>/}: {@code schedule.json},
 * {@code firings/<time>.json} (one per firing, written only by the process holding its claim) and
 * {@code firings/<time>.claim}. Every JSON file is written to a temporary file, forced, and renamed over the old
 * one, so a crash leaves the previous or the new content, never a torn file.
 */
public final class ScheduleStore {
  private static final DateTimeFormatter KEY =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private final ObjectMapper json = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private final Path root;
  /** Settled firings never change, so the scheduler, which reads histories every tick, reads each once. */
  private final Map<Path, FiringRecord> settled = new ConcurrentHashMap<>();

  @Inject
  public ScheduleStore(@Named("tessera.home") Path home) {
    this.root = home.resolve("schedules");
  }

  /** {@code $TESSERA_HOME/schedules}. */
  public Path root() {
    return root;
  }

  /** The folder of one schedule. */
  public Path directory(String name) {
    return root.resolve(name);
  }

  public void save(ScheduleSpec schedule) {
    write(directory(schedule.name()).resolve("schedule.json"), schedule);
  }

  public Optional<ScheduleSpec> load(String name) {
    return read(directory(name).resolve("schedule.json"), ScheduleSpec.class);
  }

  /** The schedule of that name, or a usage error listing the existing ones. */
  public ScheduleSpec require(String name) {
    return load(name).orElseThrow(() -> new dev.tessera.runners.cli.UsageException("No schedule '" + name
        + "' in " + root + ". Schedules: " + list().stream().map(ScheduleSpec::name).toList()
        + ". Add one with: tessera schedule add <experiment> --cron \"0 2 * * *\" --zone Europe/Berlin."));
  }

  /** Every schedule, by name. */
  public List<ScheduleSpec> list() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<ScheduleSpec> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        load(dir.getFileName().toString()).ifPresent(out::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
    return out;
  }

  /** Deletes a schedule and its history. */
  public void remove(String name) {
    Path dir = directory(name);
    settled.keySet().removeIf(file -> file.startsWith(dir));
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (NoSuchFileException gone) {
      // Already removed.
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + dir, e);
    }
  }

  /** The history of a schedule, oldest firing first. */
  public List<FiringRecord> firings(String name) {
    Path dir = directory(name).resolve("firings");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<FiringRecord> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
        FiringRecord known = settled.get(file);
        if (known != null) {
          out.add(known);
          continue;
        }
        read(file, FiringRecord.class).ifPresent(record -> {
          out.add(record);
          if (record.outcome().done()) {
            settled.put(file, record);
          }
        });
      }
    } catch (NoSuchFileException gone) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    out.sort(Comparator.comparing(FiringRecord::scheduled));
    return out;
  }

  public Optional<FiringRecord> firing(String name, Instant scheduledAt) {
    return read(firingFile(name, scheduledAt, ".json"), FiringRecord.class);
  }

  /** Writes a firing's record (only the holder of its claim may); nothing once the schedule is removed. */
  public void saveFiring(FiringRecord record) {
    if (!Files.exists(directory(record.schedule()).resolve("schedule.json"))) {
      return; // removed meanwhile: its history went with it, and a schedule added later under the name starts anew
    }
    write(firingFile(record.schedule(), record.scheduled(), ".json"), record);
  }

  /** The claim on one firing, or empty when another scheduler holds it. */
  public Optional<FiringClaim> claim(String name, Instant scheduledAt) {
    Path file = firingFile(name, scheduledAt, ".claim");
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file.getParent(), e);
    }
    return FiringClaim.tryAcquire(file);
  }

  /** Where the console output of a firing's runs goes. */
  public Path logFile(String name, Instant scheduledAt) {
    return directory(name).resolve("logs").resolve(KEY.format(scheduledAt) + ".log");
  }

  private Path firingFile(String name, Instant scheduledAt, String suffix) {
    return directory(name).resolve("firings").resolve(KEY.format(scheduledAt) + suffix);
  }

  private <T> Optional<T> read(Path file, Class<T> type) {
    try {
      return Optional.of(json.readValue(file.toFile(), type));
    } catch (java.io.FileNotFoundException | NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + " (fix or delete it)", e);
    }
  }

  private void write(Path file, Object value) {
    Path temp = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      Files.write(temp, json.writeValueAsBytes(value));
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + " (is $TESSERA_HOME writable?)", e);
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // A leftover temporary file is harmless: readers only read *.json.
      }
    }
  }
}
