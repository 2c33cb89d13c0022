package dev.tessera.stages.train.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.tessera.stages.train.LrScaling;
import dev.tessera.stages.train.OptimizerKind;
import dev.tessera.stages.train.OptimizerSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Three updates of each rule on the engine, against the rule written out in doubles, both on the weight's own
 * gradient (one device) and on a copy (DJL's parameter server). The loss is {@code sum(w * c)}, so the gradient is
 * {@code c} at every step.
 */
class StatefulOptimizerTest {
  private static final double[] W0 = {1.0, -2.0, 0.5};
  private static final double[] C = {0.3, -0.7, 1.2};
  private static final double LR = 0.1;

  /**
   * Runs three steps through the optimizer (gradient scale {@code scale}); returns the weights. {@code direct}: as
   * the trainer on one device ({@link StatefulOptimizer#updateAll} on the weight's own gradient); otherwise as DJL's
   * parameter server (a copy of the gradient through {@code update}, which must leave the copy as it was).
   */
  private static float[] engine(OptimizerSpec spec, float scale, boolean direct) {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray w = manager.create(toFloats(W0));
      w.setRequiresGradient(true);
      Parameter parameter = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
      parameter.setArray(w);
      NDArray c = manager.create(toFloats(C));
      StatefulOptimizer optimizer = new StatefulOptimizer(spec, t -> LR, manager);
      optimizer.bind(Map.of(parameter.getId(), "w"));
      for (int step = 0; step < 3; step++) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          collector.backward(w.mul(c).sum());
        }
        optimizer.beginStep(scale);
        if (direct) {
          optimizer.updateAll(List.of(parameter));
        } else {
          try (NDArray grad = w.getGradient().duplicate()) {
            optimizer.update(parameter.getId(), w, grad);
            assertArrayEquals(toFloats(C), grad.toFloatArray(), 0f, "the server's gradient copy was changed");
          }
        }
        assertArrayEquals(new float[W0.length], w.getGradient().toFloatArray(), 0f, "the gradient was not zeroed");
      }
      assertEquals(3, optimizer.updates());
      assertEquals(spec.kind() == OptimizerKind.SGD && spec.momentum() == 0 ? Set.of() : expectedState(spec),
          optimizer.state().keySet());
      return w.toFloatArray();
    }
  }

  /** What a checkpoint holds: the momentum buffer and the second moments where the rule has them. */
  private static Set<String> expectedState(OptimizerSpec spec) {
    return switch (spec.kind()) {
      case ADAM, ADAMW -> Set.of("first/w", "second/w");
      case SGD -> Set.of("first/w");
      case RMSPROP -> spec.momentum() == 0 ? Set.of("second/w") : Set.of("first/w", "second/w");
    };
  }

  private static float[] toFloats(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  /** The rules by hand, per element. */
  private static float[] reference(OptimizerSpec spec, double scale) {
    double[] w = W0.clone();
    double m = spec.momentum();
    double wd = spec.weightDecay();
    for (int i = 0; i < w.length; i++) {
      double first = 0;
      double second = 0;
      for (int t = 1; t <= 3; t++) {
        double g = C[i] * scale;
        switch (spec.kind()) {
          case SGD -> {
            if (spec.nesterov()) {
              g += wd * w[i];
              first = m * first + g;
              w[i] -= LR * (g + m * first);
            } else {
              first = m * first + LR * (g + wd * w[i]); // DJL's form: the buffer holds lr-scaled steps
              w[i] -= first;
            }
          }
          case ADAM, ADAMW -> {
            if (spec.kind() == OptimizerKind.ADAMW) {
              w[i] -= LR * wd * w[i];
            } else {
              g += wd * w[i];
            }
            first = 0.9 * first + 0.1 * g;
            second = 0.999 * second + 0.001 * g * g;
            double corrected = LR * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
            w[i] -= corrected * first / (Math.sqrt(second) + 1e-8);
          }
          case RMSPROP -> {
            g += wd * w[i];
            second = 0.99 * second + 0.01 * g * g;
            double direction = g / (Math.sqrt(second) + 1e-8);
            first = m * first + direction;
            w[i] -= LR * (m == 0 ? direction : first);
          }
          default -> throw new IllegalStateException();
        }
      }
    }
    return toFloats(w);
  }

  private static void check(OptimizerSpec spec, float scale) {
    assertArrayEquals(reference(spec, scale), engine(spec, scale, true), 2e-6f, spec + " on the weight's gradient");
    assertArrayEquals(reference(spec, scale), engine(spec, scale, false), 2e-6f, spec + " on a gradient copy");
  }

  @Test
  void sgdPlainAndWithMomentumAndWeightDecay() {
    check(OptimizerSpec.sgd(LR, 0), 1f);
    check(OptimizerSpec.sgd(LR, 0.9).withWeightDecay(0.01), 1f);
  }

  @Test
  void nesterovSgdFollowsPyTorchsForm() {
    check(OptimizerSpec.sgd(LR, 0.9).withNesterov(true), 1f);
    check(OptimizerSpec.sgd(LR, 0.9).withNesterov(true).withWeightDecay(0.05), 0.5f);
  }

  @Test
  void adamAddsDecayToTheGradientAndAdamWDecouplesIt() {
    check(OptimizerSpec.adam(LR).withWeightDecay(0.1), 1f);
    check(OptimizerSpec.adamW(LR, 0.1), 1f);
    check(OptimizerSpec.adam(LR), 0.25f);
  }

  @Test
  void rmsPropWithAndWithoutMomentum() {
    check(OptimizerSpec.rmsProp(LR, 0), 1f);
    check(new OptimizerSpec(OptimizerKind.RMSPROP, LR, 0.5, false, 0.02, 0, LrScaling.NONE, 0), 0.5f);
  }
}
