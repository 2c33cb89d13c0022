package dev.tessera.stages.train.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import dev.tessera.stages.train.TrainingCallbacks;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The listener's per-step and per-epoch loss and accuracy against values worked out by hand. */
class MetricsListenerTest {
  private static final float LN3 = (float) Math.log(3);

  /** Records every metric as {@code key@step}. */
  private static final class Recorded implements TrainingCallbacks {
    final Map<String, Double> metrics = new LinkedHashMap<>();

    @Override
    public void metric(String key, double value, long step) {
      metrics.put(key + "@" + step, value);
    }

    @Override
    public void progress(int epoch, long batchInEpoch, long batchesPerEpoch, String message) {}

    @Override
    public void checkCancelled() {}
  }

  private static TrainingListener.BatchData batch(NDManager manager, float[] logits, long... labels) {
    Device device = manager.getDevice();
    return new TrainingListener.BatchData(null,
        Map.of(device, new NDList(manager.create(labels))),
        Map.of(device, new NDList(manager.create(logits, new Shape(labels.length, 2)))));
  }

  @Test
  void logsEachStepsAndTheEpochsLossAndAccuracy() {
    Recorded recorded = new Recorded();
    try (Model model = Model.newInstance("metrics");
        NDManager manager = NDManager.newBaseManager()) {
      model.setBlock(Linear.builder().setUnits(2).build());
      try (Trainer trainer = model.newTrainer(
          new DefaultTrainingConfig(new RememberedLoss(Loss.softmaxCrossEntropyLoss())))) {
        MetricsListener listener = new MetricsListener(recorded, 1);
        // softmax [0.75, 0.25] labelled 0: loss -ln 0.75 = 0.287682, right; [0.5, 0.5] labelled 1: ln 2 = 0.693147,
        // wrong (argmax takes the first of a tie).
        listener.onTrainingBatch(trainer, batch(manager, new float[] {LN3, 0, 0, 0}, 0, 1));
        // softmax [0.25, 0.75] labelled 0: loss -ln 0.25 = 1.386294, wrong.
        listener.onTrainingBatch(trainer, batch(manager, new float[] {0, LN3}, 0));
        listener.onEpoch(trainer);
      }
    }
    Map<String, Double> m = recorded.metrics;
    assertEquals(0.490415, m.get("train/loss@1"), 1e-5);
    assertEquals(0.5, m.get("train/accuracy@1"));
    assertEquals(1.386294, m.get("train/loss@2"), 1e-5);
    assertEquals(0.0, m.get("train/accuracy@2"));
    // The epoch averages over samples, not batches: (0.287682 + 0.693147 + 1.386294) / 3.
    assertEquals(0.789041, m.get("epoch/loss@1"), 1e-5);
    assertEquals(1.0 / 3, m.get("epoch/accuracy@1"));
  }
}
