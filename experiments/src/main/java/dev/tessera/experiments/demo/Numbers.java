package dev.tessera.experiments.demo;

import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageResult;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.util.List;

/** Writes the numbers 1..count, one per line, to {@code numbers.txt}. */
public record Numbers(NumbersSpec spec) implements Stage<NumbersSpec> {
  /** A text file of numbers, one per line. */
  public static final ArtifactKind NUMBERS = new ArtifactKind("numbers");

  /** The numbers 1..count, pausing {@code millisPerItem} on each. */
  public static Numbers upTo(int count, int millisPerItem) {
    return new Numbers(new NumbersSpec(count, millisPerItem));
  }

  @Override
  public Stage<NumbersSpec> withSpec(NumbersSpec newSpec) {
    return new Numbers(newSpec);
  }

  @Override
  public String kind() {
    return "numbers";
  }

  @Override
  public List<ArtifactKind> inputs() {
    return List.of();
  }

  @Override
  public ArtifactKind output() {
    return NUMBERS;
  }

  @Override
  public StageResult run(StageContext context) throws Exception {
    try (BufferedWriter out = Files.newBufferedWriter(context.outputDirectory().resolve("numbers.txt"))) {
      for (int i = 1; i <= spec.count(); i++) {
        context.checkCancelled();
        out.write(Integer.toString(i));
        out.newLine();
        if (spec.millisPerItem() > 0) {
          Thread.sleep(spec.millisPerItem()); // demo pacing only, so the live table has something to show
        }
        context.progress().update(i, spec.count(), "number " + i);
      }
    }
    return StageResult.of(spec.count());
  }
}
