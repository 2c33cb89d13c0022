package dev.tessera.stages.train.models;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import dev.tessera.stages.train.ModelFactory;
import dev.tessera.stages.train.ModelSpec;

/**
 * ResNet-18 ({@code resnet18}, He et al. 2016, Table 1) adapted to small images: four stages of two basic blocks
 * with 64, 128, 256 and 512 filters (stages 2-4 start with stride 2), global average pooling and a dense layer.
 * The ImageNet stem (7x7 convolution with stride 2, then a 3x3 max-pool with stride 2) would shrink a 32x32 image
 * to 8x8 before the first block; here the stem is one 3x3 convolution of 64 filters with stride 1 and no pooling,
 * so the last stage still sees 4x4 of a 32x32 input. Where the shape changes the shortcut is a 1x1 convolution
 * with batch norm (the paper's option B). About 11.2M parameters for 10 classes.
 *
 * <p>Inputs from 8x8 (the three stride-2 stages must leave at least 1x1), any number of channels;
 * {@code model.hidden} must be empty.
 */
public final class ResNet18 implements ModelFactory {
  /** The registry name. */
  public static final String NAME = "resnet18";

  /** The smallest input side. */
  public static final int MIN_SIZE = 8;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "ResNet-18 with a 3x3 stride-1 stem for small images (option B shortcuts, ~11.2M parameters), "
        + "inputs >= 8x8";
  }

  @Override
  public void check(ModelSpec spec) {
    InputShapes.requireMinSize(spec, MIN_SIZE, "three stride-2 stages must leave at least 1x1 pixels");
    InputShapes.requireNoHidden(spec);
  }

  @Override
  public Block newBlock(ModelSpec spec) {
    SequentialBlock net = new SequentialBlock().add(ConvUnits.convBn(64, 3, 1)).add(Activation::relu);
    int in = 64;
    for (int filters : new int[] {64, 128, 256, 512}) {
      for (int i = 0; i < 2; i++) {
        int stride = i == 0 && filters != 64 ? 2 : 1;
        net.add(ConvUnits.basicBlock(in, filters, stride, ConvUnits.Shortcut.PROJECTION));
        in = filters;
      }
    }
    return net.add(Pool.globalAvgPool2dBlock())
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(spec.classes()).build());
  }
}
