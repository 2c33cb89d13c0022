package dev.tessera.experiments;

import static dev.tessera.pipelines.dag.Experiment.after;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.dag.ExperimentDefinition;
import dev.tessera.stages.evaluate.Evaluate;
import dev.tessera.stages.sweep.Sweep;
import dev.tessera.stages.train.Models;
import dev.tessera.stages.train.Train;
import dev.tessera.stages.train.ValidationSpec;

/**
 * A TPE sweep of LeNet-5 on MNIST: ingest and preprocess run once (and come from the cache when mnist-lenet ran
 * before: same specs, same code), then 20 trials of learning rate and weight decay (log scale) and batch size, each
 * a child MLflow run. Trials train on 90% of the training split and are chosen by their accuracy on the seeded 10%
 * held out ({@code train.val_accuracy}); the test split only measures them (each child's {@code evaluate/accuracy},
 * the chosen one's {@code sweep/best_evaluate.accuracy} on the parent). The best trial's model is the output.
 * Epochs come from asynchronous successive halving: every trial trains 1 epoch, the best third go on to 3 and the
 * best third of those to 9, each continuing from its checkpoint. The learning rate is constant, so a promoted
 * trial trains exactly as one run straight to its epochs would.
 */
public final class MnistLenetSweep implements ExperimentDefinition {
  public static final String NAME = "mnist-lenet-sweep";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "TPE sweep of LeNet-5 on MNIST: learning rate, weight decay, batch size; 20 trials, epochs 1/3/9 by "
        + "successive halving, as nested MLflow runs";
  }

  @Override
  public Experiment define() {
    return Experiment.named(NAME)
        .description(description())
        .seed(42)
        .stage("ingest", MnistLenet.ingest())
        .stage("preprocess", MnistLenet.preprocess(), after("ingest"))
        .stage("sweep", Sweep.of(Train.classifier(Models.lenet().withInput(1, 32, 32)).batchSize(128).adam(1e-3)
                    .validation(new ValidationSpec("", 0.1)), Evaluate.classification())
            .space("train.optimizer.learningRate=loguniform(1e-4,1e-2); train.batchSize=choice(64,128,256); "
                + "train.optimizer.weightDecay=loguniform(1e-6,1e-3)")
            .tpe(20).asha(1, 9, 3).maximize("train.val_accuracy"), after("preprocess"))
        .build();
  }
}
