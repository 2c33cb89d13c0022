package dev.tessera.experiments.demo;

import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageResult;
import java.io.BufferedWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.util.List;

/** Raises every number of its input to a power. */
public record Power(PowerSpec spec) implements Stage<PowerSpec> {

  /** Raises each number to {@code exponent}. */
  public static Power of(int exponent, int millisPerItem) {
    return new Power(new PowerSpec(exponent, millisPerItem));
  }

  @Override
  public Stage<PowerSpec> withSpec(PowerSpec newSpec) {
    return new Power(newSpec);
  }

  @Override
  public String kind() {
    return "power";
  }

  @Override
  public List<ArtifactKind> inputs() {
    return List.of(Numbers.NUMBERS);
  }

  @Override
  public ArtifactKind output() {
    return Numbers.NUMBERS;
  }

  @Override
  public StageResult run(StageContext context) throws Exception {
    List<String> lines = Files.readAllLines(context.input(Numbers.NUMBERS).resolve("numbers.txt"));
    try (BufferedWriter out = Files.newBufferedWriter(context.outputDirectory().resolve("numbers.txt"))) {
      for (int i = 0; i < lines.size(); i++) {
        context.checkCancelled();
        out.write(new BigInteger(lines.get(i)).pow(spec.exponent()).toString());
        out.newLine();
        if (spec.millisPerItem() > 0) {
          Thread.sleep(spec.millisPerItem()); // demo pacing only
        }
        context.progress().update(i + 1, lines.size(), "");
      }
    }
    return StageResult.of(lines.size());
  }
}
