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
 * The CIFAR-style residual networks of He et al. 2016 (section 4.2): a 3x3 stem of 16 filters, three stages of
 * {@code n} basic blocks with 16, 32 and 64 filters (the second and third start with stride 2), global average
 * pooling and a dense layer: {@code 6n + 2} weighted layers. Shortcuts use option A of the paper (identity, and
 * at the two stage changes every second pixel with zero-padded new channels), so all parameters sit in the
 * convolutions, batch norms and the dense layer: about 0.27M for ResNet-20 and 0.85M for ResNet-56, as in the
 * paper's Table 6.
 *
 * <p>The depth is in the name ({@code resnet20}: n = 3, {@code resnet56}: n = 9); {@code model.hidden} must be
 * empty. Inputs of any size from 8x8 work (the paper used 32x32; Fashion-MNIST's 28x28 needs no resize); any
 * number of channels.
 *
 * <pre>{@code
 * ModelSpec spec = new ModelSpec(CifarResNet.Resnet20.NAME, 1, 28, 28, 10, List.of());
 * }</pre>
 */
public final class CifarResNet {
  /** The smallest input side: the two stride-2 stages must leave at least 2x2 pixels to pool. */
  public static final int MIN_SIZE = 8;

  private CifarResNet() {}

  /**
   * A new CIFAR-style ResNet of {@code 6 * blocksPerStage + 2} layers with option A shortcuts.
   *
   * @param blocksPerStage n, >= 1
   * @param classes output logits
   */
  public static Block newBlock(int blocksPerStage, int classes) {
    if (blocksPerStage < 1) {
      throw new IllegalArgumentException("blocksPerStage must be >= 1, but was " + blocksPerStage);
    }
    SequentialBlock net = new SequentialBlock().add(ConvUnits.convBn(16, 3, 1)).add(Activation::relu);
    int in = 16;
    for (int filters : new int[] {16, 32, 64}) {
      for (int i = 0; i < blocksPerStage; i++) {
        int stride = i == 0 && filters != 16 ? 2 : 1;
        net.add(ConvUnits.basicBlock(in, filters, stride, ConvUnits.Shortcut.ZERO_PAD));
        in = filters;
      }
    }
    return net.add(Pool.globalAvgPool2dBlock())
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(classes).build());
  }

  private static void check(ModelSpec spec) {
    InputShapes.requireMinSize(spec, MIN_SIZE, "two stride-2 stages must leave at least 2x2 pixels to pool");
    InputShapes.requireNoHidden(spec);
  }

  /** ResNet-20 ({@code resnet20}): 3 basic blocks per stage, about 0.27M parameters. */
  public static final class Resnet20 implements ModelFactory {
    /** The registry name. */
    public static final String NAME = "resnet20";

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "CIFAR-style ResNet-20 (He et al. 2016, option A shortcuts, ~0.27M parameters), inputs >= 8x8";
    }

    @Override
    public void check(ModelSpec spec) {
      CifarResNet.check(spec);
    }

    @Override
    public Block newBlock(ModelSpec spec) {
      return CifarResNet.newBlock(3, spec.classes());
    }
  }

  /** ResNet-56 ({@code resnet56}): 9 basic blocks per stage, about 0.85M parameters. */
  public static final class Resnet56 implements ModelFactory {
    /** The registry name. */
    public static final String NAME = "resnet56";

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "CIFAR-style ResNet-56 (He et al. 2016, option A shortcuts, ~0.85M parameters), inputs >= 8x8";
    }

    @Override
    public void check(ModelSpec spec) {
      CifarResNet.check(spec);
    }

    @Override
    public Block newBlock(ModelSpec spec) {
      return CifarResNet.newBlock(9, spec.classes());
    }
  }
}
