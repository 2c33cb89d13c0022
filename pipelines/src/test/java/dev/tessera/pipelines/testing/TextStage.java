package dev.tessera.pipelines.testing;

import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.RetryableStageException;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.List;

/**
 * A real stage for engine tests: writes its text plus its inputs' texts to {@code out.txt}, records each execution
 * in marker files, and can fail or wait on demand. It reads and writes real artifacts through the executor.
 */
public record TextStage(TextSpec spec, int inputCount) implements Stage<TextSpec> {
  public static final ArtifactKind TEXT = new ArtifactKind("text");

  /** A stage with no inputs. */
  public static TextStage source(TextSpec spec) {
    return new TextStage(spec, 0);
  }

  /** A stage reading {@code inputCount} text artifacts. */
  public static TextStage reading(int inputCount, TextSpec spec) {
    return new TextStage(spec, inputCount);
  }

  @Override
  public Stage<TextSpec> withSpec(TextSpec newSpec) {
    return new TextStage(newSpec, inputCount);
  }

  @Override
  public String kind() {
    return "text";
  }

  @Override
  public List<ArtifactKind> inputs() {
    return Collections.nCopies(inputCount, TEXT);
  }

  @Override
  public ArtifactKind output() {
    return TEXT;
  }

  @Override
  public StageResult run(StageContext context) throws Exception {
    Path markers = Path.of(spec.markerDir());
    Files.createDirectories(markers);
    append(markers.resolve(context.stageName() + ".runs"), context.runId() + " attempt " + context.attempt());
    Files.writeString(markers.resolve(context.stageName() + ".started"), context.runId());
    if (context.attempt() <= spec.failTimes()) {
      if (spec.retryable()) {
        throw new RetryableStageException("simulated flaky failure #" + context.attempt());
      }
      throw new IllegalStateException("simulated permanent failure #" + context.attempt());
    }
    if (!spec.waitForFile().isEmpty()) {
      Path wait = Path.of(spec.waitForFile());
      while (!Files.exists(wait)) {
        context.checkCancelled();
        context.progress().update(0, 0, "waiting for " + wait.getFileName());
        Thread.sleep(20); // polling a file another stage or process creates; not a timing assumption
      }
    }
    StringBuilder text = new StringBuilder(spec.text());
    for (Artifact input : context.inputs(TEXT)) {
      text.append('+').append(Files.readString(input.resolve("out.txt")));
    }
    Files.writeString(context.outputDirectory().resolve("out.txt"), text);
    context.tracker().logMetric("length", text.length(), 0);
    return StageResult.of(1).with("length", text.length());
  }

  /** How many times the stage with that name ran (attempts included), from its marker file. */
  public static int executions(Path markerDir, String stageName) throws IOException {
    Path file = markerDir.resolve(stageName + ".runs");
    return Files.exists(file) ? Files.readAllLines(file).size() : 0;
  }

  private static void append(Path file, String line) throws IOException {
    Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
