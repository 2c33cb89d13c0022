package dev.tessera.stages.train.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import dev.tessera.stages.train.ModelFactory;
import dev.tessera.stages.train.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * U-Net ({@code unet}; Ronneberger, Fischer, Brox 2015) for per-pixel classification: an encoder of levels, each two
 * 3x3 convolutions with batch norm and ReLU followed by a 2x2 max-pool, a bottleneck, and a decoder that doubles the
 * resolution (nearest 2x2 upsampling, then a 3x3 convolution with batch norm and ReLU to the level's width),
 * concatenates the encoder's features of that level (the skip
 * connection) and applies two more 3x3 convolutions; a 1x1 convolution gives the class logits. Convolutions are
 * padded ("same"), so the output has the input's height and width: {@code (N, classes, H, W)} logits.
 *
 * <p>{@code model.hidden} lists the widths of the levels, top to bottom, bottleneck last: {@code [16, 32, 64, 128,
 * 256]} is depth 4 (four poolings) with base width 16, as {@link #widths(int, int)} and
 * {@code Models.unet(4, 16)} make. Height and width must be multiples of {@code 2^depth}, so every pooling halves an
 * even size and every upsampling restores it exactly.
 *
 * <pre>{@code
 * ModelSpec spec = Models.unet(4, 16).withInput(3, 256, 256).withClasses(2);
 * }</pre>
 */
public final class UNet implements ModelFactory {
  /** The registry name. */
  public static final String NAME = "unet";

  /** The most poolings allowed: 2^8 = 256 already needs inputs of at least 256 pixels a side. */
  public static final int MAX_DEPTH = 8;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "U-Net with batch norm for per-pixel classes; model.hidden = level widths, e.g. [16, 32, 64, 128, 256]";
  }

  @Override
  public boolean perPixel() {
    return true;
  }

  /** The level widths of a U-Net of {@code depth} poolings whose first level has {@code baseWidth} channels. */
  public static List<Integer> widths(int depth, int baseWidth) {
    if (depth < 1 || depth > MAX_DEPTH) {
      throw new IllegalArgumentException("unet depth must be in [1, " + MAX_DEPTH + "] (poolings), but was " + depth);
    }
    if (baseWidth < 1 || (long) baseWidth << depth > 4096) {
      throw new IllegalArgumentException("unet base width must be >= 1 with base width x 2^depth <= 4096, but was "
          + baseWidth + " at depth " + depth);
    }
    List<Integer> widths = new ArrayList<>();
    for (int level = 0; level <= depth; level++) {
      widths.add(baseWidth << level);
    }
    return widths;
  }

  @Override
  public void check(ModelSpec spec) {
    List<Integer> widths = spec.hidden();
    if (widths.size() < 2 || widths.size() > MAX_DEPTH + 1) {
      throw new IllegalArgumentException("model.hidden must list the unet's level widths, 2 to " + (MAX_DEPTH + 1)
          + " of them (depth + 1, bottleneck last), such as [16, 32, 64, 128, 256] for depth 4, but was " + widths);
    }
    int multiple = 1 << (widths.size() - 1);
    if (spec.height() % multiple != 0 || spec.width() % multiple != 0) {
      throw new IllegalArgumentException("model.height and model.width must be multiples of " + multiple
          + " for a unet of depth " + (widths.size() - 1) + " (each of its poolings halves them), but were "
          + spec.height() + "x" + spec.width() + " (HxW); resize or crop the images to a multiple of " + multiple
          + ", or use fewer levels in model.hidden");
    }
  }

  @Override
  public Block newBlock(ModelSpec spec) {
    return new SequentialBlock()
        .add(level(spec.hidden(), 0))
        .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(spec.classes()).build());
  }

  /** Level {@code i} and everything below it: same resolution in and out, {@code widths[i]} channels out. */
  private static Block level(List<Integer> widths, int i) {
    int width = widths.get(i);
    if (i == widths.size() - 1) {
      return twoConvolutions(width);
    }
    Block down = new SequentialBlock()
        .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
        .add(level(widths, i + 1))
        .add(LambdaBlock.singleton(UNet::upsample, "upsample2x"))
        .add(ConvUnits.convBn(width, 3, 1)).add(Activation::relu);
    Block skip = new ParallelBlock(
        branches -> new NDList(NDArrays.concat(
            new NDList(branches.get(0).singletonOrThrow(), branches.get(1).singletonOrThrow()), 1)),
        List.of(Blocks.identityBlock(), down));
    return new SequentialBlock().add(twoConvolutions(width)).add(skip).add(twoConvolutions(width));
  }

  /**
   * Doubles height and width by repeating every pixel 2x2 (nearest), as a view and one copy: DJL's PyTorch engine
   * has no transposed convolution, and upsampling followed by a convolution is the paper's "up-convolution" in the
   * form most implementations use.
   */
  static NDArray upsample(NDArray x) {
    Shape s = x.getShape();
    long n = s.get(0);
    long c = s.get(1);
    long h = s.get(2);
    long w = s.get(3);
    return x.reshape(n, c, h, 1, w, 1).broadcast(new Shape(n, c, h, 2, w, 2)).reshape(n, c, 2 * h, 2 * w);
  }

  private static Block twoConvolutions(int width) {
    return new SequentialBlock()
        .add(ConvUnits.convBn(width, 3, 1)).add(Activation::relu)
        .add(ConvUnits.convBn(width, 3, 1)).add(Activation::relu);
  }
}
