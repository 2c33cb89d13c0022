package dev.tessera.stages.sweep;

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
 * One ended trial of a sweep, as a line of {@code trials.jsonl} in the sweep's work directory. The file is appended
 * once per trial, so a sweep killed mid-way and resumed reruns only the trials that have no line.
 *
 * @param index the trial's number, from 0
 * @param values the trial's settings, path to value text
 * @param status {@code FINISHED} or {@code FAILED}
 * @param value the objective, or null for a failed trial
 * @param runId the trial's child run in the tracker
 * @param error why it failed, or null
 */
record SweepRecord(int index, Map<String, String> values, String status, Double value, String runId, String error) {
  private static final ObjectMapper JSON = new ObjectMapper();

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
    Files.writeString(file, JSON.writeValueAsString(copy) + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
  }
}
