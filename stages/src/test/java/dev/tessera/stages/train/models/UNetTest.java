package dev.tessera.stages.train.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import dev.tessera.stages.train.LossFactory;
import dev.tessera.stages.train.ModelSpec;
import dev.tessera.stages.train.Models;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The U-Net: per-pixel logits of the input's size, trainable with bce-dice on masks, clear input checks. */
class UNetTest {

  @Test
  void mapsABatchToLogitsPerPixelAndLearnsThroughBceDiceOnMasks() {
    ModelSpec spec = Models.unet(2, 4).withInput(3, 16, 12).withClasses(3);
    assertEquals(List.of(4, 8, 16), spec.hidden());
    assertEquals(16 * 12, spec.labelsPerSample());
    Engine.getInstance().setRandomSeed(7);
    try (Model model = Model.newInstance("unet")) {
      model.setBlock(Models.newBlock(spec));
      try (Trainer trainer = model.newTrainer(
          new DefaultTrainingConfig(LossFactory.registry().get(BceDiceLoss.NAME).newLoss()))) {
        Shape input = new Shape(2, 3, 16, 12);
        trainer.initialize(input);
        NDArray x = trainer.getManager().randomNormal(input);
        long[] labels = new long[2 * 16 * 12];
        for (int i = 0; i < labels.length; i++) {
          labels[i] = i * 7 % 3;
        }
        NDArray masks = trainer.getManager().create(labels, new Shape(2, 16, 12));
        try (GradientCollector collector = trainer.newGradientCollector()) {
          NDList out = trainer.forward(new NDList(x));
          assertEquals(new Shape(2, 3, 16, 12), out.singletonOrThrow().getShape());
          NDArray loss = trainer.getLoss().evaluate(new NDList(masks), out);
          assertTrue(Float.isFinite(loss.getFloat()) && loss.getFloat() > 0, "loss " + loss.getFloat());
          collector.backward(loss);
        }
        NDArray firstKernel = model.getBlock().getParameters().get(0).getValue().getArray().getGradient();
        assertTrue(firstKernel.abs().sum().getFloat() > 0, "the gradient reaches the first convolution");
      }
    }
  }

  @Test
  void upsamplingRepeatsEachPixelTwoByTwo() {
    try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
      NDArray x = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(1, 1, 2, 3));
      NDArray up = UNet.upsample(x);
      assertEquals(new Shape(1, 1, 4, 6), up.getShape());
      org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {
          1, 1, 2, 2, 3, 3,
          1, 1, 2, 2, 3, 3,
          4, 4, 5, 5, 6, 6,
          4, 4, 5, 5, 6, 6}, up.toFloatArray());
    }
  }

  @Test
  void rejectsAnInputSizeThatItsPoolingsCannotHalve() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new UNet().check(Models.unet(3, 8).withInput(1, 256, 100)));
    assertEquals("model.height and model.width must be multiples of 8 for a unet of depth 3 (each of its poolings "
        + "halves them), but were 256x100 (HxW); resize or crop the images to a multiple of 8, or use fewer levels "
        + "in model.hidden", e.getMessage());
  }

  @Test
  void rejectsLevelListsThatAreNotAUNet() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new UNet().check(new ModelSpec(UNet.NAME, 1, 32, 32, 2, List.of(16))));
    assertTrue(e.getMessage().startsWith("model.hidden must list the unet's level widths, 2 to 9 of them"),
        e.getMessage());
    IllegalArgumentException depth = assertThrows(IllegalArgumentException.class, () -> Models.unet(0, 16));
    assertEquals("unet depth must be in [1, 8] (poolings), but was 0", depth.getMessage());
  }
}
