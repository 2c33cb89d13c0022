package dev.tessera.stages.train.internal;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loss that remembers the value it computed last on each device, for the same prediction and label arrays: the
 * training step computes the loss for the backward pass (DJL's {@code EasyTrain} keeps that value to itself), and
 * {@link MetricsListener} asks for it again to log it. Without this the listener evaluated the loss a second time
 * every step (softmax cross-entropy: five more engine ops and arrays per step, for the same number).
 *
 * <p>Asked with other arrays (a new batch, a validation batch), it computes, as the wrapped loss does. The
 * remembered value is the array the step computed: it lives as long as the batch's arrays, and is not handed out
 * once released.
 */
public final class RememberedLoss extends Loss {
  private final Loss loss;
  private final Map<Device, Computed> last = new ConcurrentHashMap<>();

  private record Computed(NDArray labels, NDArray predictions, NDArray value) {}

  /** Remembers what {@code loss} computes; named as it is. */
  public RememberedLoss(Loss loss) {
    super(loss.getName());
    this.loss = loss;
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray prediction = predictions.head();
    NDArray label = labels.head();
    Computed computed = last.get(prediction.getDevice());
    if (computed != null && computed.predictions() == prediction && computed.labels() == label
        && !computed.value().isReleased()) {
      return computed.value();
    }
    NDArray value = loss.evaluate(labels, predictions);
    last.put(prediction.getDevice(), new Computed(label, prediction, value));
    return value;
  }
}
