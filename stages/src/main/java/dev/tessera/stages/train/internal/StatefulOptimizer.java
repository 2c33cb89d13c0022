package dev.tessera.stages.train.internal;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.internal.NDArrayEx;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import dev.tessera.stages.train.OptimizerKind;
import dev.tessera.stages.train.OptimizerSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongToDoubleFunction;

/**
 * The trainer's optimizer: SGD (momentum, Nesterov), Adam, AdamW and RMSProp with state the trainer can read and
 * restore. DJL's own optimizers keep their moments in private maps keyed by parameter ids that change from one
 * process to the next, and count updates themselves; a checkpoint needs the moments by parameter name and the update
 * count as a number it can set. DJL's PyTorch engine also lacks Nesterov and RMSProp kernels ({@code nagUpdate} and
 * {@code rmspropUpdate} throw).
 *
 * <p>SGD (plain and momentum), Adam and AdamW run the engine's fused kernels, as DJL's {@code Sgd} and {@code Adam}
 * do (so the momentum buffer holds learning-rate-scaled steps, DJL's form). Nesterov and RMSProp follow PyTorch's
 * form, composed from calls of the same two kernels (see {@code nesterov} and {@code rmsProp}); every rule zeroes the
 * weight's gradient afterwards, as the engine expects of an optimizer. No rule makes Java arrays per step except on
 * DJL's several-device path, where the shared gradient copy must stay as it was.
 *
 * <p>Use: {@link #bind} the parameter ids to names once the block is initialized; before each step call
 * {@link #beginStep}; then, on one device, {@link #updateAll} with the model's parameters, or {@code Trainer.step()},
 * which calls {@link #update} once per parameter and device.
 */
public final class StatefulOptimizer extends Optimizer {
  /** Adam's first moments, or the momentum buffers of SGD and RMSProp. */
  public static final String FIRST = "first";
  /** Adam's second moments, or RMSProp's mean squares. */
  public static final String SECOND = "second";

  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPSILON = 1e-8f;
  private static final float RMS_ALPHA = 0.99f;

  private final OptimizerKind kind;
  private final float momentum;
  private final boolean nesterov;
  private final float weightDecay;
  private final LongToDoubleFunction learningRate;
  private final NDManager manager;
  private final Map<String, String> names = new ConcurrentHashMap<>();
  private final Map<String, Map<Device, NDArray>> first = new ConcurrentHashMap<>();
  private final Map<String, Map<Device, NDArray>> second = new ConcurrentHashMap<>();
  /** RMSProp's scratch copy of the gradient (the Adam kernel's first moment at beta 0); not saved. */
  private final Map<String, Map<Device, NDArray>> scratch = new ConcurrentHashMap<>();
  /** Each parameter's gradient tensor, by parameter id (for {@link #updateAll}). */
  private final Map<String, NDArray> gradients = new ConcurrentHashMap<>();
  private long updates;
  private float currentLearningRate;
  private float gradientScale = 1f;

  /**
   * @param spec rule, momentum, Nesterov and weight decay (the learning rate comes from {@code learningRate})
   * @param learningRate the learning rate of update t (1-based)
   * @param manager owns the state arrays; close it after training
   */
  public StatefulOptimizer(OptimizerSpec spec, LongToDoubleFunction learningRate, NDManager manager) {
    super(new Builder());
    this.kind = spec.kind();
    this.momentum = (float) spec.momentum();
    this.nesterov = spec.nesterov();
    this.weightDecay = (float) spec.weightDecay();
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

  /**
   * The parameters {@link #updateAll} may update in place for {@code trainer}: its model's, when it trains on one
   * device (its arrays are then the parameters' own); null on several devices, whose gradients DJL's
   * {@code trainer.step()} must reduce first. Ask once: the list is the same every step.
   */
  public static List<Parameter> inPlace(Trainer trainer) {
    return trainer.getDevices().length == 1 ? trainer.getModel().getBlock().getParameters().values() : null;
  }

  /** One update of every parameter: {@link #updateAll} of {@code inPlace} ({@link #inPlace}), or DJL's step. */
  public void step(Trainer trainer, List<Parameter> inPlace) {
    if (inPlace != null) {
      updateAll(inPlace);
    } else {
      trainer.step();
    }
  }

  /**
   * Updates every trainable parameter in place from its own gradient and zeroes the gradient: what DJL's
   * {@code Trainer.step()} does on one device, without the copy of every gradient its parameter server makes (it
   * needs one only to hand the same sum to several devices) and without asking the engine for every gradient again
   * each step (a parameter's gradient stays the same tensor: the engine accumulates into it in place). Use it only
   * when the trainer runs on one device, whose arrays are then the parameters' own.
   */
  public void updateAll(List<Parameter> parameters) {
    for (Parameter parameter : parameters) {
      if (parameter.requiresGradient()) {
        NDArray weight = parameter.getArray();
        NDArray grad = gradients.computeIfAbsent(parameter.getId(), id -> {
          NDArray gradient = weight.getGradient();
          NDScope.unregister(gradient);
          return gradient;
        });
        apply(parameter.getId(), weight, grad, true);
      }
    }
  }

  /** The update DJL's parameter server asks for (several devices): {@code grad} is its copy, shared by them. */
  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    apply(parameterId, weight, grad, false);
  }

  /**
   * One parameter's update; every rule runs as one to four calls of the engine's fused SGD and Adam kernels.
   *
   * @param ownGradient whether {@code grad} is the weight's own gradient, which the rule may overwrite (it is zeroed
   *     afterwards); otherwise it is left as it was
   */
  private void apply(String parameterId, NDArray weight, NDArray grad, boolean ownGradient) {
    String name = names.getOrDefault(parameterId, parameterId);
    NDArrayEx ex = weight.getNDArrayInternal();
    float lr = currentLearningRate;
    switch (kind) {
      case ADAM, ADAMW -> {
        double coef1 = 1.0 - Math.pow(BETA1, updates);
        double coef2 = 1.0 - Math.pow(BETA2, updates);
        float corrected = (float) (lr * Math.sqrt(coef2) / coef1);
        NDList inputs = new NDList(weight, grad, state(first, name, weight), state(second, name, weight));
        ex.adamUpdate(inputs, new NDList(weight), lr, corrected, weightDecay, gradientScale, -1f, BETA1, BETA2,
            EPSILON, true, kind == OptimizerKind.ADAMW);
      }
      case SGD -> {
        if (nesterov) {
          nesterov(name, weight, grad, ownGradient);
        } else {
          NDList inputs = momentum == 0f
              ? new NDList(weight, grad)
              : new NDList(weight, grad, state(first, name, weight));
          ex.sgdUpdate(inputs, new NDList(weight), lr, weightDecay, gradientScale, -1f, momentum, true);
        }
      }
      case RMSPROP -> rmsProp(name, weight, grad, ownGradient);
      default -> throw new IllegalStateException("unknown optimizer " + kind);
    }
  }

  /**
   * {@code x = (1 - decay) x + a g} in place, in one engine call: the SGD kernel computes
   * {@code x -= lr (rescale g + wd x)}, here with {@code lr = -1}, {@code rescale = a}, {@code wd = -decay}. It
   * zeroes the gradient of {@code x}, which has none.
   */
  private static void scaledAdd(NDArray x, float decay, float a, NDArray g) {
    x.getNDArrayInternal().sgdUpdate(new NDList(x, g), new NDList(x), -1f, -decay, a, -1f, 0f, true);
  }

  /** {@code w -= lr d} in one engine call, zeroing w's gradient. */
  private void descend(NDArray weight, NDArray direction) {
    weight.getNDArrayInternal().sgdUpdate(new NDList(weight, direction), new NDList(weight), currentLearningRate,
        0f, 1f, -1f, 0f, true);
  }

  /**
   * The gradient with its scale and weight decay applied, {@code s g + wd w}: {@code grad} itself when the rule may
   * overwrite it, else a copy (or {@code grad} unchanged when there is nothing to apply).
   */
  private NDArray decayed(NDArray weight, NDArray grad, boolean ownGradient) {
    if (gradientScale == 1f && weightDecay == 0f) {
      return grad;
    }
    NDArray g = ownGradient ? grad : grad.duplicate();
    scaledAdd(g, 1f - gradientScale, weightDecay, weight);
    return g;
  }

  /**
   * PyTorch's Nesterov SGD: {@code b = m b + g; w -= lr (g + m b)}, with {@code g} the scaled and decayed gradient.
   * Four engine calls; with the weight's own gradient no array is made.
   */
  private void nesterov(String name, NDArray weight, NDArray grad, boolean ownGradient) {
    NDArray g = decayed(weight, grad, ownGradient);
    if (!ownGradient && g == grad) {
      g = grad.duplicate();
    }
    NDArray buffer = state(first, name, weight);
    scaledAdd(buffer, 1f - momentum, 1f, g);
    scaledAdd(g, 0f, momentum, buffer);
    descend(weight, g);
    if (g != grad) {
      g.close();
    }
  }

  /**
   * PyTorch's RMSProp: {@code s = a s + (1 - a) g^2; d = g / (sqrt(s) + eps)}, with momentum {@code b = m b + d};
   * {@code w -= lr d} (or {@code lr b}). The Adam kernel does the square average and the division when its first
   * beta is 0 (its first moment is then {@code g}, a scratch array): without momentum it updates the weight
   * directly (one call); with momentum it runs on the buffer as its "weight", its decoupled decay scaling the buffer
   * by {@code m} and a step of -1 adding {@code d}, and the weight then descends along the buffer.
   */
  private void rmsProp(String name, NDArray weight, NDArray grad, boolean ownGradient) {
    NDArray square = state(second, name, weight);
    NDArray scratch = state(this.scratch, name, weight);
    NDArrayEx ex = weight.getNDArrayInternal();
    if (momentum == 0f) {
      ex.adamUpdate(new NDList(weight, grad, scratch, square), new NDList(weight), currentLearningRate,
          currentLearningRate, weightDecay, gradientScale, -1f, 0f, RMS_ALPHA, EPSILON, true, false);
      return;
    }
    NDArray g = decayed(weight, grad, ownGradient);
    NDArray buffer = state(first, name, weight);
    buffer.getNDArrayInternal().adamUpdate(new NDList(buffer, g, scratch, square), new NDList(buffer), 1f, -1f,
        1f - momentum, 1f, -1f, 0f, RMS_ALPHA, EPSILON, true, true);
    descend(weight, buffer);
    if (g != grad) {
      g.close();
    }
  }

  private NDArray state(Map<String, Map<Device, NDArray>> states, String name, NDArray weight) {
    Map<Device, NDArray> perDevice = states.computeIfAbsent(name, k -> new ConcurrentHashMap<>());
    return perDevice.computeIfAbsent(weight.getDevice(), device -> {
      NDArray array = perDevice.isEmpty()
          ? manager.zeros(weight.getShape(), weight.getDataType(), device)
          : perDevice.values().iterator().next().toDevice(device, true);
      array.attach(manager);
      NDScope.unregister(array);
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
