package dev.tessera.pipelines.tracking.mlflow;

import dev.tessera.pipelines.tracking.RunStatus;
import dev.tessera.pipelines.tracking.mlflow.internal.MetaYaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads the active runs of an MLflow file store ({@code ./mlruns}), as {@link FileStoreTracker} and MLflow write
 * it, for replaying them elsewhere ({@code tessera mlflow sync}). Deleted experiments and runs are skipped.
 */
public final class FileStoreReader {
  private final Path root;

  private FileStoreReader(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** A reader of the store at {@code root}. */
  public static FileStoreReader at(Path root) {
    return new FileStoreReader(root);
  }

  /**
   * Every active run of every active experiment, ordered by experiment id then start time.
   *
   * @throws IllegalArgumentException if {@code root} is not a directory
   */
  public List<StoredRun> runs() {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("MLflow file store " + root + " is not a directory (pass the mlruns "
          + "folder that 'tessera run' wrote, e.g. --from ./mlruns).");
    }
    try {
      List<StoredRun> out = new ArrayList<>();
      for (Path experimentDir : children(root)) {
        Path meta = experimentDir.resolve(FileStoreTracker.META);
        if (experimentDir.getFileName().toString().startsWith(".") || !Files.isRegularFile(meta)) {
          continue;
        }
        Map<String, Object> experiment = MetaYaml.read(meta);
        if (!"active".equals(experiment.get("lifecycle_stage"))) {
          continue;
        }
        String name = String.valueOf(experiment.get("name"));
        String experimentId = String.valueOf(experiment.get("experiment_id"));
        List<StoredRun> runs = new ArrayList<>();
        for (Path runDir : children(experimentDir)) {
          Path runMeta = runDir.resolve(FileStoreTracker.META);
          if (Files.isRegularFile(runMeta)) {
            Map<String, Object> m = MetaYaml.read(runMeta);
            if ("active".equals(m.get("lifecycle_stage"))) {
              runs.add(read(name, experimentId, runDir, m));
            }
          }
        }
        runs.sort(java.util.Comparator.comparingLong(StoredRun::startTimeMillis));
        out.addAll(runs);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the MLflow file store " + root + ": " + e.getMessage(), e);
    }
  }

  private static StoredRun read(String experimentName, String experimentId, Path runDir, Map<String, Object> m)
      throws IOException {
    Map<String, List<StoredRun.MetricPoint>> metrics = new TreeMap<>();
    Path metricsDir = runDir.resolve(FileStoreRun.METRICS);
    for (Map.Entry<String, Path> e : files(metricsDir).entrySet()) {
      List<StoredRun.MetricPoint> points = new ArrayList<>();
      for (String line : Files.readAllLines(e.getValue(), StandardCharsets.UTF_8)) {
        String[] parts = line.strip().split(" ");
        if (parts.length < 2) {
          continue;
        }
        long step = parts.length > 2 ? Long.parseLong(parts[2]) : 0;
        points.add(new StoredRun.MetricPoint(Long.parseLong(parts[0]), parsePython(parts[1]), step));
      }
      metrics.put(e.getKey(), List.copyOf(points));
    }
    Object end = m.get("end_time");
    return new StoredRun(experimentName, experimentId, String.valueOf(m.get("run_id")),
        String.valueOf(m.get("run_name")),
        RunStatus.ofMlflowCode(((Number) m.get("status")).intValue()),
        ((Number) m.get("start_time")).longValue(),
        end instanceof Number n ? n.longValue() : null,
        values(runDir.resolve(FileStoreRun.PARAMS)),
        values(runDir.resolve(FileStoreRun.TAGS)),
        metrics,
        runDir.resolve(FileStoreRun.ARTIFACTS));
  }

  private static double parsePython(String text) {
    return switch (text) {
      case "nan" -> Double.NaN;
      case "inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  private static Map<String, String> values(Path dir) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Path> e : files(dir).entrySet()) {
      out.put(e.getKey(), Files.readString(e.getValue(), StandardCharsets.UTF_8));
    }
    return out;
  }

  /** Files under {@code dir} by key: their relative path with '/' separators. */
  private static Map<String, Path> files(Path dir) throws IOException {
    Map<String, Path> out = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .forEach(p -> out.put(dir.relativize(p).toString().replace('\\', '/'), p));
    }
    return out;
  }

  private static List<Path> children(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(Files::isDirectory).sorted().toList();
    }
  }
}
