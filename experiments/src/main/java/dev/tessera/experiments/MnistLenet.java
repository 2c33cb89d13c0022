package dev.tessera.experiments;

import static dev.tessera.pipelines.dag.Experiment.after;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.dag.ExperimentDefinition;
import dev.tessera.stages.evaluate.Evaluate;
import dev.tessera.stages.ingest.Ingest;
import dev.tessera.stages.preprocess.Preprocess;
import dev.tessera.stages.train.Models;
import dev.tessera.stages.train.Train;

/**
 * LeNet-5 on MNIST: the catalog's MNIST as Arrow shards, resized to LeNet-5's classic 32x32 and normalized with
 * MNIST's mean and std on Beam, trained with DJL (PyTorch) and evaluated on the 10,000 test digits.
 */
public final class MnistLenet implements ExperimentDefinition {
  public static final String NAME = "mnist-lenet";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "LeNet-5 on MNIST: ingest -> resize 32x32 + normalize (Beam) -> train (DJL) -> evaluate; ~99% accuracy";
  }

  /** MNIST from the catalog; shared with the MNIST experiments built on this one, so they share its cache. */
  static Ingest ingest() {
    return Ingest.dataset("mnist");
  }

  /** LeNet-5's classic 32x32 input, normalized with MNIST's mean and std. */
  static Preprocess preprocess() {
    return Preprocess.normalize(0.1307, 0.3081).resizedTo(32, 32);
  }

  @Override
  public Experiment define() {
    return Experiment.named(NAME)
        .description(description())
        .seed(42)
        .stage("ingest", ingest())
        .stage("preprocess", preprocess(), after("ingest"))
        .stage("train", Train.classifier(Models.lenet().withInput(1, 32, 32)).epochs(8).batchSize(128).adam(1e-3).cosine(),
            after("preprocess"))
        .stage("evaluate", Evaluate.classification(), after("train", "preprocess"))
        .build();
  }
}
