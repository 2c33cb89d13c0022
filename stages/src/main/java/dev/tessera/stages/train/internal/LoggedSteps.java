package dev.tessera.stages.train.internal;

import dev.tessera.stages.train.TrainingCallbacks;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps a resumed run's metric history free of duplicates. A run that dies after step 130 but resumes from the
 * checkpoint of step 100 trains steps 101-130 again (to the same values: training is deterministic) and would log
 * them twice; this remembers, in a small file beside the checkpoints, the highest step logged per key, and drops
 * points at or below it. A point is noted after the tracker took it, so a crash between the two gives at worst one
 * duplicate, never a gap.
 */
public final class LoggedSteps implements AutoCloseable {
  /** The file beside the checkpoints. */
  public static final String FILE = "logged-steps.tsv";

  private final Path file;
  private final Map<String, Long> highest = new HashMap<>();
  private BufferedWriter out;

  /** Reads the marks left by an earlier attempt, if any. */
  public LoggedSteps(Path directory) throws IOException {
    this.file = directory.resolve(FILE);
    if (Files.isRegularFile(file)) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (String line : lines) {
        int tab = line.lastIndexOf('\t');
        if (tab > 0) {
          try {
            highest.merge(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)), Math::max);
          } catch (NumberFormatException e) {
            // a line cut short by a crash: the marks before it still hold
          }
        }
      }
    }
  }

  /** Forgets every mark (training starts afresh, so every step is new). */
  public void clear() throws IOException {
    highest.clear();
    close();
    Files.deleteIfExists(file);
  }

  /** Callbacks that pass on only the points not logged before, and note those they pass on. */
  public TrainingCallbacks filter(TrainingCallbacks delegate) {
    return new TrainingCallbacks() {
      @Override
      public void metric(String key, double value, long step) {
        Long mark = highest.get(key);
        if (mark != null && step <= mark) {
          return;
        }
        delegate.metric(key, value, step);
        highest.put(key, step);
        note(key, step);
      }

      @Override
      public void progress(int epoch, long batchInEpoch, long batchesPerEpoch, String message) {
        delegate.progress(epoch, batchInEpoch, batchesPerEpoch, message);
      }

      @Override
      public void checkCancelled() throws InterruptedException {
        delegate.checkCancelled();
      }

      @Override
      public void params(Map<String, String> params) {
        delegate.params(params);
      }

      @Override
      public void log(String message) {
        delegate.log(message);
      }
    };
  }

  private void note(String key, long step) {
    try {
      if (out == null) {
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
      out.write(key + "\t" + step + "\n");
      // Flushed to the OS each time: a killed JVM loses nothing written so far.
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot note logged metric steps in " + file, e);
    }
  }

  @Override
  public void close() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
  }
}
