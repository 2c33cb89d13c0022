package dev.tessera.runners.cli.schedule;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.tracking.registry.GateDecision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a run's promotion gate decided, as its process left it beside its {@code run.json} ({@value #FILE_NAME}):
 * the registered model's name and the decision's {@code tessera.gate.*} tags. The scheduler reads it once the
 * run's process has ended, to tell a schedule's webhook about a promotion.
 *
 * @param model the registered model
 * @param tags the decision's tags ({@link GateDecision#tags()})
 */
public record GateOutcome(String model, Map<String, String> tags) {
  /** The file in the run's directory. */
  public static final String FILE_NAME = "gate.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  public GateOutcome {
    tags = Map.copyOf(tags);
  }

  /** Whether the run's model became the champion. */
  public boolean promoted() {
    return "promoted".equals(tags.get(GateDecision.TAG_PREFIX + "decision"));
  }

  /** One decision tag ({@code metric}, {@code challenger_version}, ...), or null when the decision had none. */
  public String tag(String name) {
    return tags.get(GateDecision.TAG_PREFIX + name);
  }

  /** Writes the decision of the run whose directory is {@code runDirectory}. */
  public static void write(Path runDirectory, String model, GateDecision decision) {
    write(runDirectory, model, decision.tags());
  }

  /** Writes a decision known by its tags (as read back from the model version it was tagged on). */
  public static void write(Path runDirectory, String model, Map<String, String> tags) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", model);
    body.put("tags", tags);
    try {
      Files.createDirectories(runDirectory);
      Path temporary = runDirectory.resolve(FILE_NAME + ".tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), body);
      Files.move(temporary, runDirectory.resolve(FILE_NAME), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the gate decision to " + runDirectory.resolve(FILE_NAME), e);
    }
  }

  /** The decision a run left in {@code runDirectory}; empty when it had no gate (or did not get that far). */
  public static Optional<GateOutcome> read(Path runDirectory) {
    Path file = runDirectory.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      Map<String, Object> body = JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() {});
      Map<String, String> tags = JSON.convertValue(body.get("tags"), new TypeReference<Map<String, String>>() {});
      return Optional.of(new GateOutcome(String.valueOf(body.get("model")), tags == null ? Map.of() : tags));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the gate decision " + file + "; delete it if it is damaged", e);
    }
  }
}
