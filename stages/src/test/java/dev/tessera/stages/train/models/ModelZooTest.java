package dev.tessera.stages.train.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dev.tessera.stages.train.ModelSpec;
import dev.tessera.stages.train.Models;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The built-in architectures: they build, map a batch to logits, learn through finite gradients, check inputs. */
class ModelZooTest {

  private static ModelSpec spec(String architecture, int channels, int size, int classes) {
    return new ModelSpec(architecture, channels, size, size, classes, List.of());
  }

  /** Runs one forward and backward pass of a batch of 2 and returns the logits' shape; asserts finite gradients. */
  private static Shape forwardBackward(ModelSpec spec) {
    Engine.getInstance().setRandomSeed(7);
    try (Model model = Model.newInstance("zoo")) {
      model.setBlock(Models.newBlock(spec));
      try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()))) {
        Shape input = new Shape(2, spec.channels(), spec.height(), spec.width());
        trainer.initialize(input);
        NDArray x = trainer.getManager().randomNormal(input);
        NDArray y = trainer.getManager().create(new long[] {0, spec.classes() - 1});
        Shape logits;
        try (GradientCollector collector = trainer.newGradientCollector()) {
          NDList out = trainer.forward(new NDList(x));
          logits = out.singletonOrThrow().getShape();
          collector.backward(trainer.getLoss().evaluate(new NDList(y), out));
        }
        int withGradient = 0;
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
          if (p.getValue().requiresGradient()) {
            NDArray gradient = p.getValue().getArray().getGradient();
            assertTrue(gradient.isInfinite().logicalOr(gradient.isNaN()).none().getBoolean(),
                spec.architecture() + ": gradient of " + p.getKey() + " is not finite");
            withGradient++;
          }
        }
        assertTrue(withGradient > 0, spec.architecture() + " has no trainable parameters");
        return logits;
      }
    }
  }

  @ParameterizedTest(name = "{0} on {1}x{2}x{2}")
  @CsvSource({
    "resnet20, 1, 28", "resnet20, 3, 32", "resnet56, 1, 12", "resnet18, 3, 32", "vgg11, 1, 28", "vgg11, 3, 32",
    "vgg16, 3, 32", "alexnet-small, 1, 28", "alexnet-small, 3, 32", "lenet, 1, 28", "mlp, 1, 28"
  })
  void forwardGivesLogitsPerSampleAndBackwardGivesFiniteGradients(String architecture, int channels, int size) {
    assertEquals(new Shape(2, 7), forwardBackward(spec(architecture, channels, size, 7)));
  }

  private static long trainableParameters(ModelSpec spec) {
    Block block = Models.newBlock(spec);
    try (NDManager manager = NDManager.newBaseManager()) {
      block.initialize(manager, DataType.FLOAT32,
          new Shape(1, spec.channels(), spec.height(), spec.width()));
      return block.getParameters().stream()
          .filter(p -> p.getValue().requiresGradient())
          .mapToLong(p -> p.getValue().getArray().size())
          .sum();
    }
  }

  @Test
  void cifarResNetParameterCountsMatchThePaper() {
    // He et al. 2016, Table 6: ResNet-20 0.27M, ResNet-56 0.85M parameters (3x32x32 CIFAR-10, 10 classes).
    long resnet20 = trainableParameters(spec("resnet20", 3, 32, 10));
    long resnet56 = trainableParameters(spec("resnet56", 3, 32, 10));
    assertEquals(0.27e6, resnet20, 0.27e6 * 0.03, "resnet20 parameters: " + resnet20);
    assertEquals(0.85e6, resnet56, 0.85e6 * 0.03, "resnet56 parameters: " + resnet56);
    // Exactly: stem 3*16*9 + 16 BN pairs; per stage 2n 3x3 convolutions and their BN; dense 64*10 + 10.
    // ResNet-20: 432 + 32 + (13,824 + 192) + (50,688 + 384) + (202,752 + 768) + 650 = 269,722.
    assertEquals(269_722, resnet20);
    // ResNet-56: 432 + 32 + (41,472 + 576) + (161,280 + 1,152) + (645,120 + 2,304) + 650 = 853,018.
    assertEquals(853_018, resnet56);
  }

  @Test
  void resnet18AndVggParameterCountsMatchTheirDocumentation() {
    long resnet18 = trainableParameters(spec("resnet18", 3, 32, 10));
    assertEquals(11.2e6, resnet18, 11.2e6 * 0.02, "resnet18 parameters: " + resnet18);
    // VGG-11 at half width: 3x3 convolutions 3-32, 32-64, 64-128, 128-128, 128-256, then three 256-256
    // = 2,304,864 weights, plus 2 x 1,376 batch-norm values and a 256-10 dense layer (2,570): 2,310,186.
    assertEquals(2_310_186, trainableParameters(spec("vgg11", 3, 32, 10)));
    long vgg16 = trainableParameters(spec("vgg16", 3, 32, 10));
    assertEquals(3.7e6, vgg16, 3.7e6 * 0.02, "vgg16 parameters: " + vgg16);
  }

  @ParameterizedTest(name = "{0} rejects {1}x{1}")
  @CsvSource({"resnet20, 7, 8", "resnet56, 7, 8", "resnet18, 7, 8", "vgg11, 16, 17", "vgg16, 16, 17",
      "alexnet-small, 14, 15"})
  void rejectsInputsBelowTheMinimumSizeNamingSettingValueAndLimit(String architecture, int size, int min) {
    ModelSpec tooSmall = spec(architecture, 1, size, 10);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> tooSmall.factory().check(tooSmall));
    assertTrue(e.getMessage().startsWith("model.height and model.width must be >= " + min + " for " + architecture
        + " ("), e.getMessage());
    assertTrue(e.getMessage().contains("but were " + size + "x" + size + " (HxW)"), e.getMessage());
    ModelSpec smallest = spec(architecture, 1, min, 10);
    smallest.factory().check(smallest);
  }

  @Test
  void rejectsANarrowInputEvenWhenTheOtherSideIsLarge() {
    ModelSpec narrow = new ModelSpec("resnet20", 1, 64, 4, 10, List.of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> narrow.factory().check(narrow));
    assertTrue(e.getMessage().contains("but were 64x4 (HxW)"), e.getMessage());
  }

  @Test
  void rejectsHiddenWidthsForFixedArchitectures() {
    ModelSpec withHidden = new ModelSpec("vgg16", 3, 32, 32, 10, List.of(128));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> withHidden.factory().check(withHidden));
    assertEquals("model.hidden must be empty for vgg16 (its layers are fixed), but was [128]", e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"resnet20", "resnet18", "vgg11", "alexnet-small"})
  void savedModelLoadsIntoANewBlockAndGivesTheSameLogits(String architecture, @TempDir Path dir)
      throws Exception {
    ModelSpec spec = spec(architecture, 1, 28, 4);
    Engine.getInstance().setRandomSeed(11);
    float[] before;
    float[] after;
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.randomNormal(new Shape(2, 1, 28, 28));
      try (Model model = Model.newInstance("zoo")) {
        model.setBlock(Models.newBlock(spec));
        model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, x.getShape());
        // A forward pass in training mode moves the batch norms' running statistics away from their start.
        model.getBlock().forward(new ParameterStore(model.getNDManager(), false), new NDList(x), true);
        before = model.getBlock().forward(new ParameterStore(model.getNDManager(), false), new NDList(x), false)
            .singletonOrThrow().toFloatArray();
        model.save(dir, "zoo");
      }
      try (Model model = Model.newInstance("zoo")) {
        model.setBlock(Models.newBlock(spec));
        model.load(dir, "zoo");
        after = model.getBlock().forward(new ParameterStore(model.getNDManager(), false), new NDList(x), false)
            .singletonOrThrow().toFloatArray();
      }
    }
    assertArrayEquals(before, after, 1e-5f);
  }

  @Test
  void smallestCifarResNetInputStillPools() {
    assertEquals(new Shape(2, 3), forwardBackward(spec("resnet20", 1, CifarResNet.MIN_SIZE, 3)));
    assertEquals(new Shape(2, 3), forwardBackward(spec("vgg11", 1, Vgg.MIN_SIZE, 3)));
    assertEquals(new Shape(2, 3), forwardBackward(spec("alexnet-small", 1, AlexNetSmall.MIN_SIZE, 3)));
  }
}
