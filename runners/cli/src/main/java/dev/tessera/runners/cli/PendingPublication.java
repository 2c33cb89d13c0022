package dev.tessera.runners.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.tracking.server.TrackingServerException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A registration or promotion that a succeeded run could not finish because its MLflow server was away, kept
 * beside the run's {@code run.json} ({@value #FILE_NAME}) until {@code tessera resume <run-id>} completes it: the
 * options the run was given and what it already knew, so the completion neither trains nor decides anew what was
 * settled.
 *
 * @param model the registered model (the experiment's name)
 * @param register {@code --register} without a gate
 * @param promoteIf the {@code --promote-if} text, or null without a gate
 * @param trackedRunId the MLflow run whose model is registered
 * @param artifactPath the model's artifact path in that run, such as {@code train/model}
 * @param challengerValue the new model's value of the gate's metric, or null without a gate
 * @param championVersion the champion whose value was measured on this run's data, or null when not measured
 * @param championValue that champion's value, or null when not measured
 * @param problem why the publication is pending, as the server's failure said
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PendingPublication(String model, boolean register, String promoteIf, String trackedRunId,
    String artifactPath, Double challengerValue, Long championVersion, Double championValue, String problem) {
  /** The marker file in the run's directory. */
  public static final String FILE_NAME = "publication-pending.json";
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public PendingPublication {
    if (model == null || model.isBlank() || trackedRunId == null || trackedRunId.isBlank()
        || artifactPath == null || artifactPath.isBlank()) {
      throw new IllegalArgumentException("a pending publication needs a model, an MLflow run id and an artifact "
          + "path, but had model=" + model + ", trackedRunId=" + trackedRunId + ", artifactPath=" + artifactPath
          + "; delete the damaged " + FILE_NAME + " and register the run's model again.");
    }
    if (register == (promoteIf != null)) {
      throw new IllegalArgumentException("a pending publication is either --register (register=" + register
          + ") or --promote-if (" + promoteIf + "), exactly one; delete the damaged " + FILE_NAME + ".");
    }
  }

  /** The same publication, with the champion measured on the run's data. */
  PendingPublication withChampion(long version, double value) {
    return new PendingPublication(model, register, promoteIf, trackedRunId, artifactPath, challengerValue,
        version, value, problem);
  }

  /** The same publication, pending because of {@code why}. */
  PendingPublication because(String why) {
    return new PendingPublication(model, register, promoteIf, trackedRunId, artifactPath, challengerValue,
        championVersion, championValue, why);
  }

  /** What is pending, in words: {@code registration} or {@code registration and promotion gate (...)}. */
  public String describe() {
    return register ? "registration" : "registration and promotion gate (--promote-if " + promoteIf + ")";
  }

  /**
   * Whether {@code failure} (or one of its causes) says the MLflow server could not be used for now: unreachable,
   * timed out, or answering 5xx or 429, the failures the spool waits out. A 4xx is an answer, not an outage.
   */
  static boolean serverAway(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TrackingServerException server) {
        return server.status() == 0 || server.status() == 429 || server.status() >= 500;
      }
    }
    return false;
  }

  /** Writes the marker into the run's directory (atomically). */
  void write(Path runDirectory) {
    Path file = runDirectory.resolve(FILE_NAME);
    try {
      Files.createDirectories(runDirectory);
      Path temporary = runDirectory.resolve(FILE_NAME + ".tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), this);
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the pending publication to " + file, e);
    }
  }

  /** The marker of the run whose directory is {@code runDirectory}; empty when nothing is pending. */
  public static Optional<PendingPublication> read(Path runDirectory) {
    Path file = runDirectory.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), PendingPublication.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the pending publication " + file + "; if it is damaged, delete "
          + "it and register the run's model with a new run", e);
    }
  }

  /** Removes the marker once the publication is complete. */
  static void delete(Path runDirectory) {
    try {
      Files.deleteIfExists(runDirectory.resolve(FILE_NAME));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + runDirectory.resolve(FILE_NAME), e);
    }
  }

  /** The ids of the runs under {@code runsDirectory} with a pending publication, sorted. */
  static List<String> runsWithPending(Path runsDirectory) {
    if (!Files.isDirectory(runsDirectory)) {
      return List.of();
    }
    List<String> ids = new ArrayList<>();
    try (Stream<Path> runs = Files.list(runsDirectory)) {
      runs.filter(dir -> Files.isRegularFile(dir.resolve(FILE_NAME)))
          .forEach(dir -> ids.add(dir.getFileName().toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the runs in " + runsDirectory, e);
    }
    return ids.stream().sorted().toList();
  }
}
