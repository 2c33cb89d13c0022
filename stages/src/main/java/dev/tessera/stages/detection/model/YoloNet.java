package dev.tessera.stages.detection.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.tessera.stages.train.models.BatchNorm;
import java.util.ArrayList;
import java.util.List;

/**
 * A small one-stage YOLO-style detector: a CSP-Darknet backbone, a PAN neck (FPN top-down, then bottom-up) and a
 * 1x1 convolution head on each of three scales (strides 8, 16, 32), as in YOLOv5.
 *
 * <p>Input: {@code (N, 3, S, S)} float images with {@code S} a multiple of 32. Output: three arrays, finest first,
 * {@code (N, A * (5 + C), S / stride, S / stride)}, where {@code A} anchors per cell each have raw values
 * {@code tx, ty, tw, th, objectness, class_1..class_C} (logits); {@link YoloDecoder} turns them into boxes.
 *
 * <p>Why anchors and not an anchor-free head: BCCD's three classes have very stable shapes (round red and white
 * cells, small platelets), which k-means anchors ({@link AnchorKMeans}, 1 - IoU distance as in YOLOv2) capture
 * well, and the YOLOv5 box parameterization bounded by the anchor ({@code (2 sigmoid)^2} times its size) keeps
 * early training of a from-scratch model stable; an anchor-free head would need a centre-ness or task-aligned
 * assignment that costs more CPU per step.
 *
 * <p>Blocks: Conv = conv (no bias) + batch norm (running statistics kept as {@code 0.9 old + 0.1 batch}, so they
 * settle within a few dozen steps; YOLOv5's 0.97 left them far from the data in short CPU runs) + leaky ReLU
 * (0.1); CSP = two 1x1 branches, one through {@code n} residual bottlenecks, concatenated and fused by a 1x1
 * Conv. Upsampling is nearest (repeat).
 *
 * <pre>{@code
 * YoloConfig config = new YoloConfig(3, 0.25, 0.33, anchors);
 * model.setBlock(new YoloNet(config));
 * }</pre>
 */
public final class YoloNet extends AbstractBlock {
  private static final byte VERSION = 1;
  private static final float LEAK = 0.1f;

  private final YoloConfig config;
  private final Block stem;
  private final Block stage2;
  private final Block stage3;
  private final Block stage4;
  private final Block stage5;
  private final Block lateral5;
  private final Block topDown4;
  private final Block lateral4;
  private final Block topDown3;
  private final Block down3;
  private final Block bottomUp4;
  private final Block down4;
  private final Block bottomUp5;
  private final List<Block> heads = new ArrayList<>();

  /** A network of {@code config}'s shape, uninitialized. */
  public YoloNet(YoloConfig config) {
    super(VERSION);
    this.config = config;
    int c1 = config.channels(0);
    int c2 = config.channels(1);
    int c3 = config.channels(2);
    int c4 = config.channels(3);
    int c5 = config.channels(4);
    int neck = config.repeats(3);
    stem = addChildBlock("stem", conv(c1, 3, 2));
    stage2 = addChildBlock("stage2", new SequentialBlock().add(conv(c2, 3, 2)).add(csp(c2, config.repeats(3), true)));
    stage3 = addChildBlock("stage3", new SequentialBlock().add(conv(c3, 3, 2)).add(csp(c3, config.repeats(6), true)));
    stage4 = addChildBlock("stage4", new SequentialBlock().add(conv(c4, 3, 2)).add(csp(c4, config.repeats(9), true)));
    stage5 = addChildBlock("stage5", new SequentialBlock().add(conv(c5, 3, 2)).add(csp(c5, config.repeats(3), true)));
    lateral5 = addChildBlock("lateral5", conv(c4, 1, 1));
    topDown4 = addChildBlock("topDown4", csp(c4, neck, false));
    lateral4 = addChildBlock("lateral4", conv(c3, 1, 1));
    topDown3 = addChildBlock("topDown3", csp(c3, neck, false));
    down3 = addChildBlock("down3", conv(c3, 3, 2));
    bottomUp4 = addChildBlock("bottomUp4", csp(c4, neck, false));
    down4 = addChildBlock("down4", conv(c4, 3, 2));
    bottomUp5 = addChildBlock("bottomUp5", csp(c5, neck, false));
    int outputs = config.anchorsPerScale() * config.outputsPerAnchor();
    for (int stride : YoloConfig.STRIDES) {
      heads.add(addChildBlock("head" + stride, Conv2d.builder().setKernelShape(new Shape(1, 1))
          .setFilters(outputs).build()));
    }
  }

  /** The configuration this network was built from. */
  public YoloConfig config() {
    return config;
  }

  /** The three 1x1 output convolutions, finest scale first (their biases get priors before training). */
  public List<Block> heads() {
    return List.copyOf(heads);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = run(stem, store, inputs.singletonOrThrow(), training);
    NDArray p3 = run(stage3, store, run(stage2, store, x, training), training);
    NDArray p4 = run(stage4, store, p3, training);
    NDArray p5 = run(stage5, store, p4, training);
    NDArray l5 = run(lateral5, store, p5, training);
    NDArray t4 = run(topDown4, store, concat(upsample(l5), p4), training);
    NDArray l4 = run(lateral4, store, t4, training);
    NDArray o3 = run(topDown3, store, concat(upsample(l4), p3), training);
    NDArray o4 = run(bottomUp4, store, concat(run(down3, store, o3, training), l4), training);
    NDArray o5 = run(bottomUp5, store, concat(run(down4, store, o4, training), l5), training);
    return new NDList(run(heads.get(0), store, o3, training), run(heads.get(1), store, o4, training),
        run(heads.get(2), store, o5, training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    long outputs = (long) config.anchorsPerScale() * config.outputsPerAnchor();
    Shape[] out = new Shape[YoloConfig.STRIDES.size()];
    for (int i = 0; i < out.length; i++) {
      int stride = YoloConfig.STRIDES.get(i);
      out[i] = new Shape(in.get(0), outputs, in.get(2) / stride, in.get(3) / stride);
    }
    return out;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = inputShapes[0];
    if (in.dimension() != 4 || in.get(2) % 32 != 0 || in.get(3) % 32 != 0) {
      throw new IllegalArgumentException("the detector needs (N, C, H, W) input with H and W multiples of 32, but "
          + "got " + in + ". Letterbox the images to a multiple of 32 (augment.letterboxStride=32).");
    }
    Shape x = init(stem, manager, dataType, in);
    Shape p3 = init(stage3, manager, dataType, init(stage2, manager, dataType, x));
    Shape p4 = init(stage4, manager, dataType, p3);
    Shape p5 = init(stage5, manager, dataType, p4);
    Shape l5 = init(lateral5, manager, dataType, p5);
    Shape t4 = init(topDown4, manager, dataType, concatShape(upsampleShape(l5), p4));
    Shape l4 = init(lateral4, manager, dataType, t4);
    Shape o3 = init(topDown3, manager, dataType, concatShape(upsampleShape(l4), p3));
    Shape o4 = init(bottomUp4, manager, dataType, concatShape(init(down3, manager, dataType, o3), l4));
    Shape o5 = init(bottomUp5, manager, dataType, concatShape(init(down4, manager, dataType, o4), l5));
    init(heads.get(0), manager, dataType, o3);
    init(heads.get(1), manager, dataType, o4);
    init(heads.get(2), manager, dataType, o5);
  }

  private static Shape init(Block block, NDManager manager, DataType dataType, Shape in) {
    block.initialize(manager, dataType, in);
    return block.getOutputShapes(new Shape[] {in})[0];
  }

  private static NDArray run(Block block, ParameterStore store, NDArray x, boolean training) {
    return block.forward(store, new NDList(x), training).singletonOrThrow();
  }

  private static NDArray upsample(NDArray x) {
    return x.repeat(2, 2).repeat(3, 2);
  }

  private static Shape upsampleShape(Shape s) {
    return new Shape(s.get(0), s.get(1), s.get(2) * 2, s.get(3) * 2);
  }

  private static NDArray concat(NDArray a, NDArray b) {
    return NDArrays.concat(new NDList(a, b), 1);
  }

  private static Shape concatShape(Shape a, Shape b) {
    return new Shape(a.get(0), a.get(1) + b.get(1), a.get(2), a.get(3));
  }

  /** Conv (no bias) + batch norm + leaky ReLU, padding {@code kernel / 2}. */
  static Block conv(int filters, int kernel, int stride) {
    return new SequentialBlock()
        .add(Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).optStride(new Shape(stride, stride))
            .optPadding(new Shape(kernel / 2, kernel / 2)).setFilters(filters).optBias(false).build())
        .add(new BatchNorm(1e-3f, 0.9f))
        .add(list -> Activation.leakyRelu(list, LEAK));
  }

  /** 1x1 then 3x3 Conv, added to the input when {@code shortcut}. */
  private static Block bottleneck(int channels, boolean shortcut) {
    Block body = new SequentialBlock().add(conv(channels, 1, 1)).add(conv(channels, 3, 1));
    if (!shortcut) {
      return body;
    }
    return new ParallelBlock(
        list -> new NDList(list.get(0).singletonOrThrow().add(list.get(1).singletonOrThrow())),
        List.of(body, Blocks.identityBlock()));
  }

  /** CSP block: a 1x1 branch through {@code n} bottlenecks and a plain 1x1 branch, concatenated, fused by 1x1. */
  private static Block csp(int out, int n, boolean shortcut) {
    int hidden = Math.max(8, out / 2);
    SequentialBlock main = new SequentialBlock().add(conv(hidden, 1, 1));
    for (int i = 0; i < n; i++) {
      main.add(bottleneck(hidden, shortcut));
    }
    Block split = new ParallelBlock(
        list -> new NDList(NDArrays.concat(new NDList(list.get(0).singletonOrThrow(), list.get(1).singletonOrThrow()),
            1)),
        List.of(main, conv(hidden, 1, 1)));
    return new SequentialBlock().add(split).add(conv(out, 1, 1));
  }
}
