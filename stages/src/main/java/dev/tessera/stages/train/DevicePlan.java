package dev.tessera.stages.train;

import ai.djl.Device;
import java.util.Arrays;
import java.util.List;

/**
 * The devices a training run uses and what data parallelism makes of the spec: with N devices each step trains
 * on N batches of {@code batchSize} (one per device), and with {@link LrScaling#LINEAR} (the default) the learning
 * rate follows the effective batch.
 *
 * @param requested the spec's device string, such as {@code auto} or {@code gpus=2}
 * @param devices the resolved DJL devices, at least one
 * @param perDeviceBatchSize the spec's batch size
 * @param effectiveBatchSize samples per optimizer step: {@code perDeviceBatchSize * devices.size()}
 * @param baseLearningRate the spec's learning rate
 * @param effectiveLearningRate the learning rate after {@link OptimizerSpec#scaledLearningRate} (with linear scaling
 *     and the default base batch, {@code baseLearningRate * devices.size()})
 */
public record DevicePlan(
    String requested,
    List<Device> devices,
    int perDeviceBatchSize,
    int effectiveBatchSize,
    double baseLearningRate,
    double effectiveLearningRate) {

  public DevicePlan {
    devices = List.copyOf(devices);
    if (devices.isEmpty()) {
      throw new IllegalArgumentException("A device plan needs at least one device, but had none");
    }
  }

  /** The devices as DJL wants them in {@code DefaultTrainingConfig.optDevices}. */
  public Device[] deviceArray() {
    return devices.toArray(Device[]::new);
  }

  /** A one-line description, such as {@code gpus=2 -> [gpu(0), gpu(1)], batch 2x128=256, lr 0.001->0.002}. */
  public String describe() {
    return requested + " -> " + Arrays.toString(deviceArray())
        + ", batch " + devices.size() + "x" + perDeviceBatchSize + "=" + effectiveBatchSize
        + ", lr " + baseLearningRate + (effectiveLearningRate == baseLearningRate ? "" : "->" + effectiveLearningRate);
  }
}
