package dev.tessera.benchmarks.train;

import dev.tessera.stages.detection.model.YoloConfig;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Tessera's {@code YoloNet} written with libtorch's C++ frontend modules (through bytedeco), layer for layer: the
 * CSP backbone, the PAN neck and the three 1x1 heads, each Conv a bias-free convolution, batch norm (eps 1e-3) and
 * leaky ReLU (0.1), upsampling by nearest repeat. Initialisation is libtorch's default (it does not change the
 * step's cost).
 */
final class LibtorchYolo extends Module {
  private static final double LEAK = 0.1;

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
  private final List<Conv2dImpl> heads = new ArrayList<>();

  LibtorchYolo(YoloConfig config) {
    int c1 = config.channels(0);
    int c2 = config.channels(1);
    int c3 = config.channels(2);
    int c4 = config.channels(3);
    int c5 = config.channels(4);
    int neck = config.repeats(3);
    stem = register_module("stem", new ConvBnAct(3, c1, 3, 2));
    stage2 = register_module("stage2", new Sequence(new ConvBnAct(c1, c2, 3, 2), new Csp(c2, c2, config.repeats(3),
        true)));
    stage3 = register_module("stage3", new Sequence(new ConvBnAct(c2, c3, 3, 2), new Csp(c3, c3, config.repeats(6),
        true)));
    stage4 = register_module("stage4", new Sequence(new ConvBnAct(c3, c4, 3, 2), new Csp(c4, c4, config.repeats(9),
        true)));
    stage5 = register_module("stage5", new Sequence(new ConvBnAct(c4, c5, 3, 2), new Csp(c5, c5, config.repeats(3),
        true)));
    lateral5 = register_module("lateral5", new ConvBnAct(c5, c4, 1, 1));
    topDown4 = register_module("topDown4", new Csp(2 * c4, c4, neck, false));
    lateral4 = register_module("lateral4", new ConvBnAct(c4, c3, 1, 1));
    topDown3 = register_module("topDown3", new Csp(2 * c3, c3, neck, false));
    down3 = register_module("down3", new ConvBnAct(c3, c3, 3, 2));
    bottomUp4 = register_module("bottomUp4", new Csp(2 * c3, c4, neck, false));
    down4 = register_module("down4", new ConvBnAct(c4, c4, 3, 2));
    bottomUp5 = register_module("bottomUp5", new Csp(2 * c4, c5, neck, false));
    int outputs = config.anchorsPerScale() * config.outputsPerAnchor();
    int[] inputs = {c3, c4, c5};
    for (int i = 0; i < inputs.length; i++) {
      heads.add(register_module("head" + YoloConfig.STRIDES.get(i), conv(inputs[i], outputs, 1, 1, true)));
    }
  }

  /** The three raw outputs, finest scale first. */
  Tensor[] forward(Tensor images) {
    Tensor x = stem.forward(images);
    Tensor p3 = stage3.forward(stage2.forward(x));
    Tensor p4 = stage4.forward(p3);
    Tensor p5 = stage5.forward(p4);
    Tensor l5 = lateral5.forward(p5);
    Tensor t4 = topDown4.forward(concat(upsample(l5), p4));
    Tensor l4 = lateral4.forward(t4);
    Tensor o3 = topDown3.forward(concat(upsample(l4), p3));
    Tensor o4 = bottomUp4.forward(concat(down3.forward(o3), l4));
    Tensor o5 = bottomUp5.forward(concat(down4.forward(o4), l5));
    return new Tensor[] {heads.get(0).forward(o3), heads.get(1).forward(o4), heads.get(2).forward(o5)};
  }

  private static Tensor upsample(Tensor x) {
    return x.repeat_interleave(2, new org.bytedeco.pytorch.LongOptional(2), new org.bytedeco.pytorch.LongOptional())
        .repeat_interleave(2, new org.bytedeco.pytorch.LongOptional(3), new org.bytedeco.pytorch.LongOptional());
  }

  private static Tensor concat(Tensor a, Tensor b) {
    return torch.cat(new TensorVector(a, b), 1);
  }

  private static Conv2dImpl conv(int in, int out, int kernel, int stride, boolean bias) {
    Conv2dOptions options = new Conv2dOptions(in, out, new LongPointer(kernel, kernel));
    options.stride().put(new long[] {stride, stride});
    options.padding().put(new LongPointer(kernel / 2, kernel / 2));
    options.bias().put(bias);
    return new Conv2dImpl(options);
  }

  /** A module with one input and one output. */
  abstract static class Block extends Module {
    abstract Tensor forward(Tensor x);
  }

  /** Conv (no bias) + batch norm + leaky ReLU. */
  static final class ConvBnAct extends Block {
    private final Conv2dImpl conv;
    private final BatchNorm2dImpl bn;

    ConvBnAct(int in, int out, int kernel, int stride) {
      conv = register_module("conv", conv(in, out, kernel, stride, false));
      BatchNormOptions options = new BatchNormOptions(out);
      options.eps().put(1e-3);
      options.momentum().put(0.1);
      bn = register_module("bn", new BatchNorm2dImpl(options));
    }

    @Override
    Tensor forward(Tensor x) {
      return torch.leaky_relu(bn.forward(conv.forward(x)), new org.bytedeco.pytorch.Scalar(LEAK));
    }
  }

  /** Blocks applied in order. */
  static final class Sequence extends Block {
    private final Block[] blocks;

    Sequence(Block... blocks) {
      this.blocks = blocks;
      for (int i = 0; i < blocks.length; i++) {
        register_module(Integer.toString(i), blocks[i]);
      }
    }

    @Override
    Tensor forward(Tensor x) {
      for (Block block : blocks) {
        x = block.forward(x);
      }
      return x;
    }
  }

  /** 1x1 then 3x3 Conv, added to the input when {@code shortcut}. */
  static final class Bottleneck extends Block {
    private final ConvBnAct a;
    private final ConvBnAct b;
    private final boolean shortcut;

    Bottleneck(int channels, boolean shortcut) {
      a = register_module("a", new ConvBnAct(channels, channels, 1, 1));
      b = register_module("b", new ConvBnAct(channels, channels, 3, 1));
      this.shortcut = shortcut;
    }

    @Override
    Tensor forward(Tensor x) {
      Tensor y = b.forward(a.forward(x));
      return shortcut ? y.add(x) : y;
    }
  }

  /** CSP: a 1x1 branch through {@code n} bottlenecks and a plain 1x1 branch, concatenated, fused by a 1x1 Conv. */
  static final class Csp extends Block {
    private final ConvBnAct mainIn;
    private final Bottleneck[] bottlenecks;
    private final ConvBnAct side;
    private final ConvBnAct fuse;

    Csp(int in, int out, int n, boolean shortcut) {
      int hidden = Math.max(8, out / 2);
      mainIn = register_module("main", new ConvBnAct(in, hidden, 1, 1));
      bottlenecks = new Bottleneck[n];
      for (int i = 0; i < n; i++) {
        bottlenecks[i] = register_module("bottleneck" + i, new Bottleneck(hidden, shortcut));
      }
      side = register_module("side", new ConvBnAct(in, hidden, 1, 1));
      fuse = register_module("fuse", new ConvBnAct(2 * hidden, out, 1, 1));
    }

    @Override
    Tensor forward(Tensor x) {
      Tensor main = mainIn.forward(x);
      for (Bottleneck bottleneck : bottlenecks) {
        main = bottleneck.forward(main);
      }
      return fuse.forward(concat(main, side.forward(x)));
    }
  }
}
