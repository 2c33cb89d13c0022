package dev.tessera.stages.train.internal;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.internal.NDArrayEx;
import ai.djl.training.optimizer.Optimizer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongToDoubleFunction;

/**
 * The trainer's optimizer: the update rules of DJL's Adam and SGD (the engine's fused kernels), but with state the
 * trainer can read and restore. DJL's own optimizers keep their moments in private maps keyed by parameter ids
 * that change from one process to the next, and count updates themselves; a checkpoint needs the moments by
 * parameter name and the update count as a number it can set.
 *
 * <p>Use: {@link #bind} the parameter ids to names once the block is initialized; before each
 * {@code Trainer.step()} call {@link #beginStep}; DJL then calls {@link #update} once per parameter (and device).
 * The learning rate of update {@code t} (1-based) is {@code learningRate.applyAsDouble(t)}.
 */
public final class StatefulOptimizer extends Optimizer {
  /** The update rule. */
  public enum Rule {
    /** Adam; weight decay added to the gradient (L2). */
    ADAM,
    /** Adam with decoupled weight decay (AdamW). */
    ADAMW,
    /** SGD, optionally with momentum (the momentum buffer holds learning-rate-scaled steps). */
    SGD
  }

  /** Adam's first moments, or SGD's momentum buffers. */
  public static final String FIRST = "first";
  /** Adam's second moments. */
  public static final String SECOND = "second";

  private final Rule rule;
  private final float momentum;
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float weightDecay;
  private final LongToDoubleFunction learningRate;
  private final NDManager manager;
  private final Map<String, String> names = new ConcurrentHashMap<>();
  private final Map<String, Map<Device, NDArray>> first = new ConcurrentHashMap<>();
  private final Map<String, Map<Device, NDArray>> second = new ConcurrentHashMap<>();
  private long updates;
  private float currentLearningRate;
  private float gradientScale = 1f;

  /**
   * @param rule the update rule
   * @param momentum SGD momentum in [0, 1) (ignored by Adam)
   * @param weightDecay L2 (Adam, SGD) or decoupled (AdamW) weight decay, >= 0
   * @param learningRate the learning rate of update t (1-based)
   * @param manager owns the state arrays; close it after training
   */
  public StatefulOptimizer(Rule rule, float momentum, float weightDecay, LongToDoubleFunction learningRate,
      NDManager manager) {
    super(new Builder());
    this.rule = rule;
    this.momentum = momentum;
    this.beta1 = 0.9f;
    this.beta2 = 0.999f;
    this.epsilon = 1e-8f;
    this.weightDecay = weightDecay;
    this.learningRate = learningRate;
    this.manager = manager;
  }

  /** Tells the optimizer the stable name of each parameter id (ids change between processes, names do not). */
  public void bind(Map<String, String> idToName) {
    names.putAll(idToName);
  }

  /**
   * Starts the next update: its number, learning rate and the factor every gradient is multiplied with (1 to leave
   * them as they are; below 1 to clip by norm).
   *
   * @return the learning rate of this update
   */
  public float beginStep(float gradientScale) {
    updates++;
    currentLearningRate = (float) learningRate.applyAsDouble(updates);
    this.gradientScale = gradientScale;
    return currentLearningRate;
  }

  /** Updates done so far (the schedule position). */
  public long updates() {
    return updates;
  }

  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    String name = names.getOrDefault(parameterId, parameterId);
    NDArrayEx ex = weight.getNDArrayInternal();
    float lr = currentLearningRate;
    switch (rule) {
      case ADAM, ADAMW -> {
        double coef1 = 1.0 - Math.pow(beta1, updates);
        double coef2 = 1.0 - Math.pow(beta2, updates);
        float corrected = (float) (lr * Math.sqrt(coef2) / coef1);
        NDList inputs = new NDList(weight, grad, state(first, name, weight), state(second, name, weight));
        ex.adamUpdate(inputs, new NDList(weight), lr, corrected, weightDecay, gradientScale, -1f, beta1, beta2,
            epsilon, true, rule == Rule.ADAMW);
      }
      case SGD -> {
        NDList inputs = momentum == 0f
            ? new NDList(weight, grad)
            : new NDList(weight, grad, state(first, name, weight));
        ex.sgdUpdate(inputs, new NDList(weight), lr, weightDecay, gradientScale, -1f, momentum, true);
      }
      default -> throw new IllegalStateException("unknown rule " + rule);
    }
  }

  private NDArray state(Map<String, Map<Device, NDArray>> states, String name, NDArray weight) {
    Map<Device, NDArray> perDevice = states.computeIfAbsent(name, k -> new ConcurrentHashMap<>());
    return perDevice.computeIfAbsent(weight.getDevice(), device -> {
      NDArray array = perDevice.isEmpty()
          ? manager.zeros(weight.getShape(), weight.getDataType(), device)
          : perDevice.values().iterator().next().toDevice(device, true);
      array.attach(manager);
      return array;
    });
  }

  /**
   * The state by name: {@code first/<parameter>} and {@code second/<parameter>}, from one device (every device holds
   * the same values: they see the same summed gradient). Sorted by name.
   */
  public Map<String, NDArray> state() {
    Map<String, NDArray> out = new TreeMap<>();
    first.forEach((name, perDevice) -> out.put(FIRST + "/" + name, perDevice.values().iterator().next()));
    second.forEach((name, perDevice) -> out.put(SECOND + "/" + name, perDevice.values().iterator().next()));
    return out;
  }

  /** Restores what {@link #state()} returned and the update count; the arrays become the optimizer's own. */
  public void restore(long updates, Map<String, NDArray> state) {
    this.updates = updates;
    Map<String, NDArray> copy = new LinkedHashMap<>(state);
    copy.forEach((key, array) -> {
      int slash = key.indexOf('/');
      String kind = key.substring(0, slash);
      String name = key.substring(slash + 1);
      Map<String, Map<Device, NDArray>> target = switch (kind) {
        case FIRST -> first;
        case SECOND -> second;
        default -> throw new IllegalArgumentException("unknown optimizer state '" + key + "'");
      };
      array.attach(manager);
      Map<Device, NDArray> perDevice = new ConcurrentHashMap<>();
      perDevice.put(array.getDevice(), array);
      target.put(name, perDevice);
    });
  }

  /** DJL's builder is only a carrier of settings this class does not use (rescale, clip, decay are its own). */
  private static final class Builder extends OptimizerBuilder<Builder> {
    @Override
    protected Builder self() {
      return this;
    }
  }
}
