package dev.tessera.stages.train.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import java.util.List;

/** Convolutions with batch norm, and the basic blocks of residual networks (He et al. 2016). */
final class ConvUnits {
  private ConvUnits() {}

  /** How a basic block's shortcut matches a change of shape (stride 2 and more filters). */
  enum Shortcut {
    /** Option A of the paper: take every second pixel and pad the new channels with zeros; no parameters. */
    ZERO_PAD,
    /** Option B of the paper: a 1x1 convolution with the block's stride, then batch norm. */
    PROJECTION
  }

  /** A bias-free {@code size x size} convolution (same padding) followed by batch norm. */
  static SequentialBlock convBn(int filters, int size, int stride) {
    return new SequentialBlock()
        .add(Conv2d.builder()
            .setKernelShape(new Shape(size, size))
            .optStride(new Shape(stride, stride))
            .optPadding(new Shape(size / 2, size / 2))
            .optBias(false)
            .setFilters(filters)
            .build())
        .add(new BatchNorm());
  }

  /**
   * A basic block: two 3x3 conv-BN layers with ReLU between, added to the shortcut, then ReLU. The first
   * convolution has the stride; the shortcut is the identity when the shape stays, else {@code shortcut}.
   *
   * @param inFilters the channels coming in
   * @param filters the channels going out
   * @param stride 1, or 2 to halve height and width
   */
  static Block basicBlock(int inFilters, int filters, int stride, Shortcut shortcut) {
    Block residual = new SequentialBlock()
        .add(convBn(filters, 3, stride))
        .add(Activation::relu)
        .add(convBn(filters, 3, 1));
    Block identity = stride == 1 && inFilters == filters
        ? Blocks.identityBlock()
        : switch (shortcut) {
          case ZERO_PAD -> zeroPadShortcut(inFilters, filters, stride);
          case PROJECTION -> convBn(filters, 1, stride);
        };
    return new ParallelBlock(
        branches -> new NDList(Activation.relu(
            branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow()))),
        List.of(residual, identity));
  }

  private static Block zeroPadShortcut(int inFilters, int filters, int stride) {
    if (filters < inFilters) {
      throw new IllegalArgumentException(
          "a zero-padded shortcut cannot reduce channels, but went from " + inFilters + " to " + filters);
    }
    String step = "::" + stride;
    return LambdaBlock.singleton(x -> {
      NDArray sampled = x.get(":, :, " + step + ", " + step);
      Shape shape = sampled.getShape();
      NDArray zeros = sampled.getManager().zeros(
          new Shape(shape.get(0), filters - inFilters, shape.get(2), shape.get(3)), sampled.getDataType(),
          sampled.getDevice());
      return sampled.concat(zeros, 1);
    }, "zeroPadShortcut");
  }
}
