package dev.tessera.stages.train.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import dev.tessera.stages.train.ModelFactory;
import dev.tessera.stages.train.ModelSpec;

/**
 * VGG-11 and VGG-16 (Simonyan and Zisserman 2015, configurations A and D) for small images, with batch norm after
 * every 3x3 convolution. Sized for 28-32 pixel inputs: the filters are half the paper's (32, 64, 128, 256, 256
 * per block instead of 64 ... 512), the five 2x2 max-pools round up (ceil mode), so 28x28 and 32x32 both end at
 * 1x1, and the three 4096-wide dense layers are replaced by global average pooling and one dense layer, as is
 * usual for CIFAR-sized VGGs. About 2.3M (VGG-11) and 3.7M (VGG-16) parameters for 10 classes.
 *
 * <p>Inputs from 17x17 (the last pool needs at least 2x2), any number of channels; {@code model.hidden} must be
 * empty.
 */
public final class Vgg {
  /** The smallest input side. */
  public static final int MIN_SIZE = 17;

  /** Blocks of the paper's configuration A (VGG-11): convolutions per block. */
  private static final int[] VGG11 = {1, 1, 2, 2, 2};
  /** Blocks of the paper's configuration D (VGG-16): convolutions per block. */
  private static final int[] VGG16 = {2, 2, 3, 3, 3};
  private static final int[] FILTERS = {32, 64, 128, 256, 256};

  private Vgg() {}

  /** A new small VGG with {@code convsPerBlock[i]} convolutions in block i (five blocks, each ending in a pool). */
  static Block newBlock(int[] convsPerBlock, int classes) {
    SequentialBlock net = new SequentialBlock();
    for (int block = 0; block < FILTERS.length; block++) {
      for (int i = 0; i < convsPerBlock[block]; i++) {
        net.add(ConvUnits.convBn(FILTERS[block], 3, 1)).add(Activation::relu);
      }
      net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), true));
    }
    return net.add(Pool.globalAvgPool2dBlock())
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(classes).build());
  }

  private static void check(ModelSpec spec) {
    InputShapes.requireMinSize(spec, MIN_SIZE, "five 2x2 max-pools need at least 2x2 pixels before the last");
    InputShapes.requireNoHidden(spec);
  }

  /** VGG-11 with batch norm, half width ({@code vgg11}). */
  public static final class Vgg11 implements ModelFactory {
    /** The registry name. */
    public static final String NAME = "vgg11";

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "VGG-11 with batch norm, half width, for 28-32 px images (inputs >= 17x17)";
    }

    @Override
    public void check(ModelSpec spec) {
      Vgg.check(spec);
    }

    @Override
    public Block newBlock(ModelSpec spec) {
      return Vgg.newBlock(VGG11, spec.classes());
    }
  }

  /** VGG-16 with batch norm, half width ({@code vgg16}). */
  public static final class Vgg16 implements ModelFactory {
    /** The registry name. */
    public static final String NAME = "vgg16";

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "VGG-16 with batch norm, half width, for 28-32 px images (inputs >= 17x17)";
    }

    @Override
    public void check(ModelSpec spec) {
      Vgg.check(spec);
    }

    @Override
    public Block newBlock(ModelSpec spec) {
      return Vgg.newBlock(VGG16, spec.classes());
    }
  }
}
