package dev.tessera.experiments;

import static dev.tessera.pipelines.dag.Experiment.after;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.dag.ExperimentDefinition;
import dev.tessera.stages.evaluate.Evaluate;
import dev.tessera.stages.ingest.Ingest;
import dev.tessera.stages.preprocess.Preprocess;
import dev.tessera.stages.train.Models;
import dev.tessera.stages.train.OnlineSpec;
import dev.tessera.stages.train.Train;

/**
 * LeNet-5 on MNIST with online augmentation: the trainer reads the ingested {@code uint8} digits and prepares each
 * one afresh every epoch (random resized crop covering at least 85% of the digit, then the same resize to 32x32 and
 * normalize as {@link MnistLenet}'s preprocess stage, with the same kernels). The test digits go through the
 * offline preprocess stage, so evaluation sees exactly the floats the online path gives without augmentation.
 */
public final class MnistLenetOnline implements ExperimentDefinition {
  public static final String NAME = "mnist-lenet-online";
  private static final double MEAN = 0.1307;
  private static final double STD = 0.3081;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "LeNet-5 on MNIST, augmented online each epoch: ingest -> train (random crop + resize + normalize in "
        + "the loader) -> evaluate on preprocessed test digits";
  }

  @Override
  public Experiment define() {
    return Experiment.named(NAME)
        .description(description())
        .seed(42)
        .stage("ingest", Ingest.dataset("mnist"))
        .stage("preprocess", Preprocess.normalize(MEAN, STD).resizedTo(32, 32), after("ingest"))
        .stage("train", Train.classifier(Models.lenet().withInput(1, 32, 32)).epochs(8).batchSize(128).adam(1e-3)
            .cosine().online(OnlineSpec.resizeNormalize(32, 32, MEAN, STD).withRandomResizedCrop(0.85)),
            after("ingest"))
        .stage("evaluate", Evaluate.classification(), after("train", "preprocess"))
        .build();
  }
}
