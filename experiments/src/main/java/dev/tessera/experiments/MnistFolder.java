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
 * LeNet-5 on handwritten digits kept as PNG files in a local folder that grows: {@code <folder>/train/<digit>/*.png}
 * and {@code <folder>/test/<digit>/*.png} (fill one from MNIST with {@code tessera datasets export mnist}). The
 * experiment of the nightly loop: scheduled with {@code --when data-changed --promote-if evaluate/accuracy:max:0.001},
 * it retrains only when images arrive and makes the new model the champion only when it beats the current one.
 *
 * <pre>{@code
 * tessera datasets export mnist --to /data/digits --limit 2000
 * tessera run mnist-folder --set ingest.path=/data/digits
 * }</pre>
 */
public final class MnistFolder implements ExperimentDefinition {
  public static final String NAME = "mnist-folder";
  /** The folder read unless {@code --set ingest.path=...} says otherwise (relative to the working directory). */
  public static final String DEFAULT_PATH = "data/mnist-folder";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "LeNet-5 on a local folder of digit PNGs (ingest.path, default " + DEFAULT_PATH + "): the nightly "
        + "retraining example";
  }

  @Override
  public Experiment define() {
    // Image folders ingest as RGB (grey PNGs are widened), so LeNet takes 3 channels at MNIST's own 28x28.
    return Experiment.named(NAME)
        .description(description())
        .seed(42)
        .stage("ingest", Ingest.local(NAME, DEFAULT_PATH))
        .stage("preprocess", Preprocess.normalize(0.1307, 0.3081), after("ingest"))
        .stage("train", Train.classifier(Models.lenet().withInput(3, 28, 28)).epochs(3).batchSize(64).adam(1e-3),
            after("preprocess"))
        .stage("evaluate", Evaluate.classification(), after("train", "preprocess"))
        .build();
  }
}
