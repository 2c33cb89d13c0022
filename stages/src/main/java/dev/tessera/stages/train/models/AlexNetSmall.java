package dev.tessera.stages.train.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import dev.tessera.stages.train.ModelFactory;
import dev.tessera.stages.train.ModelSpec;

/**
 * AlexNet (Krizhevsky et al. 2012) for small images ({@code alexnet-small}): five convolutions with ReLU
 * (64@5x5, 192@5x5, 384@3x3, 256@3x3, 256@3x3, all with same padding and stride 1 instead of the paper's 11x11
 * stride-4 first layer), the paper's overlapping 3x3 stride-2 max-pools after the first, second and fifth, then
 * dropout 0.5, dense 1024, ReLU, dropout 0.5, dense 1024, ReLU and dense classes (the paper: 4096). Local response
 * normalization and batch norm are left out. A 32x32 input reaches the dense layers as 256x3x3, a 28x28 one as
 * 256x2x2.
 *
 * <p>Inputs from 15x15 (the three pools must leave at least 1x1), any number of channels; {@code model.hidden}
 * must be empty.
 */
public final class AlexNetSmall implements ModelFactory {
  /** The registry name. */
  public static final String NAME = "alexnet-small";

  /** The smallest input side. */
  public static final int MIN_SIZE = 15;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "AlexNet for small images: 5 convolutions (stride 1), 3 overlapping max-pools, dense 1024-1024 with "
        + "dropout; inputs >= 15x15";
  }

  @Override
  public void check(ModelSpec spec) {
    InputShapes.requireMinSize(spec, MIN_SIZE, "three 3x3 stride-2 max-pools must leave at least 1x1 pixels");
    InputShapes.requireNoHidden(spec);
  }

  @Override
  public Block newBlock(ModelSpec spec) {
    return new SequentialBlock()
        .add(conv(64, 5)).add(Activation::relu).add(overlappingPool())
        .add(conv(192, 5)).add(Activation::relu).add(overlappingPool())
        .add(conv(384, 3)).add(Activation::relu)
        .add(conv(256, 3)).add(Activation::relu)
        .add(conv(256, 3)).add(Activation::relu).add(overlappingPool())
        .add(Blocks.batchFlattenBlock())
        .add(Dropout.builder().optRate(0.5f).build())
        .add(Linear.builder().setUnits(1024).build()).add(Activation::relu)
        .add(Dropout.builder().optRate(0.5f).build())
        .add(Linear.builder().setUnits(1024).build()).add(Activation::relu)
        .add(Linear.builder().setUnits(spec.classes()).build());
  }

  private static Block conv(int filters, int size) {
    return Conv2d.builder()
        .setKernelShape(new Shape(size, size))
        .optPadding(new Shape(size / 2, size / 2))
        .setFilters(filters)
        .build();
  }

  private static Block overlappingPool() {
    return Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2));
  }
}
