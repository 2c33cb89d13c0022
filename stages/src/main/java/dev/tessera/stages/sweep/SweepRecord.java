package dev.tessera.stages.sweep;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One ended job of a sweep (a trial trained to one rung's epochs, or fully without halving), as a line of
 * {@code trials.jsonl} in the sweep's shared work directory. The file is appended once per job, so a sweep killed
 * mid-way and resumed reruns only the jobs that have no line, and a sweep run again with more trials reuses them.
 *
 * @param index the trial's number, from 0
 * @param values the trial's settings, path to value text
 * @param status {@code FINISHED} or {@code FAILED}
 * @param value the objective, or null for a failed trial
 * @param runId the trial's child run in the tracker
 * @param error why it failed, or null
 * @param rung the successive-halving rung this job trained to, 0 without halving
 * @param epochs the epochs the trial had trained when this job ended (0 when unknown)
 * @param evaluation the evaluate stage's figures for this job (such as the test accuracy), empty for a failed job
 *     or a line written before they were kept
 */
record SweepRecord(int index, Map<String, String> values, String status, Double value, String runId, String error,
    int rung, int epochs, Map<String, Double> evaluation) {
  private static final ObjectMapper JSON = new ObjectMapper();

  @JsonCreator
  SweepRecord {
    evaluation = evaluation == null ? Map.of() : Map.copyOf(evaluation);
  }

  /** A job without evaluate figures (a failed one). */
  SweepRecord(int index, Map<String, String> values, String status, Double value, String runId, String error,
      int rung, int epochs) {
    this(index, values, status, value, runId, error, rung, epochs, Map.of());
  }

  boolean finished() {
    return "FINISHED".equals(status);
  }

  /** The records in the file, in order; none when it does not exist. A torn last line is ignored. */
  static List<SweepRecord> read(Path file) throws IOException {
    List<SweepRecord> records = new ArrayList<>();
    if (!Files.exists(file)) {
      return records;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      try {
        records.add(JSON.readValue(line, SweepRecord.class));
      } catch (IOException torn) {
        break; // the process died while writing this line: the trial runs again
      }
    }
    return records;
  }

  /** Appends this record as one line and forces it to disk. */
  void append(Path file) throws IOException {
    Map<String, Object> copy = new LinkedHashMap<>();
    copy.put("index", index);
    copy.put("values", values);
    copy.put("status", status);
    copy.put("value", value);
    copy.put("runId", runId);
    copy.put("error", error);
    copy.put("rung", rung);
    copy.put("epochs", epochs);
    Files.writeString(file, JSON.writeValueAsString(copy) + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
  }
}
