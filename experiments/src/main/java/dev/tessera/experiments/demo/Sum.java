package dev.tessera.experiments.demo;

import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageResult;
import dev.tessera.pipelines.dag.StageSpec;
import java.math.BigInteger;
import java.nio.file.Files;
import java.util.Collections;
import java.util.List;

/** Adds up every number of its inputs and writes {@code sum.txt}; reports {@code sum} as a summary figure. */
public record Sum(Sum.Spec spec) implements Stage<Sum.Spec> {

  /**
   * Settings of {@link Sum}.
   *
   * @param inputs how many number artifacts it reads
   */
  public record Spec(int inputs) implements StageSpec {
    public Spec {
      if (inputs < 1) {
        throw new IllegalArgumentException("inputs must be >= 1, but was " + inputs);
      }
    }
  }

  /** Sums {@code inputs} number artifacts. */
  public static Sum of(int inputs) {
    return new Sum(new Spec(inputs));
  }

  @Override
  public Stage<Spec> withSpec(Spec newSpec) {
    return new Sum(newSpec);
  }

  @Override
  public String kind() {
    return "sum";
  }

  @Override
  public List<ArtifactKind> inputs() {
    return Collections.nCopies(spec.inputs(), Numbers.NUMBERS);
  }

  @Override
  public ArtifactKind output() {
    return Numbers.NUMBERS;
  }

  @Override
  public StageResult run(StageContext context) throws Exception {
    BigInteger sum = BigInteger.ZERO;
    long count = 0;
    for (Artifact input : context.inputs(Numbers.NUMBERS)) {
      for (String line : Files.readAllLines(input.resolve("numbers.txt"))) {
        sum = sum.add(new BigInteger(line));
        count++;
      }
    }
    Files.writeString(context.outputDirectory().resolve("numbers.txt"), sum + "\n");
    return StageResult.of(1).with("sum", sum.doubleValue()).with("count", count);
  }
}
