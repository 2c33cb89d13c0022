package dev.tessera.stages.train.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.tessera.stages.train.internal.EngineState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tessera's batch norm against DJL's on the same inputs: outputs, gradients, running statistics, saved bytes. */
class BatchNormTest {
  /** JUnit makes a new instance per test, so each test has its own manager. */
  private final NDManager manager = NDManager.newBaseManager();

  @AfterEach
  void close() {
    manager.close();
  }

  /** A block with gamma and beta set to known values other than DJL's initial ones and zeros. */
  private Block initialised(Block block, Shape input) {
    block.initialize(manager, DataType.FLOAT32, input);
    long channels = input.get(1);
    for (Pair<String, Parameter> parameter : block.getParameters()) {
      String name = parameter.getKey();
      NDArray values = manager.arange(1f, channels + 1f);
      if (name.endsWith("gamma")) {
        values.muli(0.5f).copyTo(parameter.getValue().getArray());
      } else if (name.endsWith("beta")) {
        values.muli(-0.25f).copyTo(parameter.getValue().getArray());
      }
    }
    return block;
  }

  /** Outputs, input gradient and parameter gradients of two training steps, then an inference pass. */
  private List<float[]> run(Block block, NDArray first, NDArray second) {
    List<float[]> seen = new ArrayList<>();
    ParameterStore store = new ParameterStore(manager, false);
    for (NDArray input : List.of(first, second)) {
      NDArray x = input.duplicate();
      x.setRequiresGradient(true);
      synchronized (EngineState.LOCK) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray out = block.forward(store, new NDList(x), true).singletonOrThrow();
          // Weights that differ per element, so the gradients differ per element too.
          NDArray weights = manager.arange((float) out.size()).reshape(out.getShape()).div(out.size());
          collector.backward(out.mul(weights).sum());
          seen.add(out.toFloatArray());
          seen.add(x.getGradient().toFloatArray());
        }
      }
      for (Pair<String, Parameter> parameter : block.getParameters()) {
        NDArray array = parameter.getValue().getArray();
        seen.add(array.toFloatArray());
        if (parameter.getValue().requiresGradient()) {
          seen.add(array.getGradient().toFloatArray());
          array.getGradient().subi(array.getGradient());
        }
      }
    }
    seen.add(block.forward(store, new NDList(second), false).singletonOrThrow().toFloatArray());
    return seen;
  }

  private void assertSameAsDjl(Shape shape) {
    NDArray first = manager.randomNormal(0f, 2f, shape, DataType.FLOAT32).add(3f);
    NDArray second = manager.randomUniform(-1f, 5f, shape, DataType.FLOAT32);
    List<float[]> djl = run(initialised(ai.djl.nn.norm.BatchNorm.builder().build(), shape), first, second);
    List<float[]> ours = run(initialised(new BatchNorm(), shape), first, second);
    assertEquals(djl.size(), ours.size());
    for (int i = 0; i < djl.size(); i++) {
      assertArrayEquals(djl.get(i), ours.get(i), "value " + i + " (outputs, gradients, statistics in order)");
    }
  }

  @Test
  void trainsAndInfersAsDjlsBatchNormOnImages() {
    assertSameAsDjl(new Shape(4, 3, 5, 6));
  }

  @Test
  void trainsAndInfersAsDjlsBatchNormOnFeatureVectors() {
    assertSameAsDjl(new Shape(8, 5));
  }

  @Test
  void savesTheBytesDjlsBatchNormSavesAndLoadsThem() throws Exception {
    Shape shape = new Shape(4, 3, 5, 6);
    Block djl = initialised(ai.djl.nn.norm.BatchNorm.builder().build(), shape);
    NDArray input = manager.randomNormal(0f, 2f, shape, DataType.FLOAT32);
    run(djl, input, input.add(1f));
    ByteArrayOutputStream djlBytes = new ByteArrayOutputStream();
    djl.saveParameters(new DataOutputStream(djlBytes));

    Block ours = new BatchNorm();
    ours.initialize(manager, DataType.FLOAT32, shape);
    ours.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(djlBytes.toByteArray())));
    ByteArrayOutputStream ourBytes = new ByteArrayOutputStream();
    ours.saveParameters(new DataOutputStream(ourBytes));

    assertArrayEquals(djlBytes.toByteArray(), ourBytes.toByteArray());
    ParameterStore store = new ParameterStore(manager, false);
    assertArrayEquals(djl.forward(store, new NDList(input), false).singletonOrThrow().toFloatArray(),
        ours.forward(store, new NDList(input), false).singletonOrThrow().toFloatArray());
  }

  @Test
  void namesItsParametersInAModelAsDjlsBatchNorm() {
    SequentialBlock djl = new SequentialBlock().add(ai.djl.nn.norm.BatchNorm.builder().build());
    SequentialBlock ours = new SequentialBlock().add(new BatchNorm());
    assertEquals(djl.getParameters().keys(), ours.getParameters().keys());
  }

  @Test
  void rejectsInputWithoutAChannelAxis() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BatchNorm().initialize(manager, DataType.FLOAT32, new Shape(8)));
    assertEquals("batch norm needs input with channels on axis 1 (NC, NCHW), but the input shape was (8); place it"
        + " after a convolution or a linear layer", e.getMessage());
  }
}
