package dev.tessera.stages.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * What a Beam worker hands back for one {@link TrialJob}: the job's record, what the wrapped stages logged for the
 * trial's child run, and the log lines they wrote.
 *
 * @param record the job's record, exactly as a local slot would have made it
 * @param tracking what to log into the trial's child run
 * @param log the trial's log lines, in order
 * @param mistake a mistake in the sweep itself (an objective the evaluate stage does not report), which ends the
 *     sweep; null otherwise
 */
record TrialOutcome(SweepRecord record, RecordingRun.Recording tracking, List<String> log, String mistake) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Writes this outcome to {@code file} through a temporary file and a rename: never half-present. */
  void write(Path file) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.createDirectories(file.getParent());
    Files.writeString(temp, JSON.writeValueAsString(this), StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static TrialOutcome read(Path file) throws IOException {
    return JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), TrialOutcome.class);
  }
}
