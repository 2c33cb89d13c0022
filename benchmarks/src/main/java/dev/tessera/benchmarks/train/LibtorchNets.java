package dev.tessera.benchmarks.train;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * LeNet-5 and the CIFAR-style ResNet-20 written with libtorch's C++ frontend modules (through bytedeco), layer for
 * layer as Tessera's {@code lenet} and {@code resnet20} (batch norm after every convolution, option A shortcuts,
 * bias-free residual convolutions), initialised as DJL initialises Tessera's: weights uniform in
 * +-sqrt(6 / ((fan in + fan out) / 2)) (DJL's Xavier, average factor, magnitude 6), biases and batch-norm shifts
 * zero, batch-norm scales one.
 */
final class LibtorchNets {
  private LibtorchNets() {}

  /** A net: a module (its parameters go to the optimizer) with a forward pass from NCHW images to logits. */
  abstract static class Net extends Module {
    abstract Tensor forward(Tensor images);
  }

  /** The net named as Tessera's registry names it: {@code lenet} or {@code resnet20}. */
  static Net create(String name, int channels, int size, int classes) {
    Net net = switch (name) {
      case "lenet" -> new Lenet(channels, size, classes);
      case "resnet20" -> new Resnet(3, channels, classes);
      default -> throw new IllegalArgumentException("model must be lenet or resnet20, but was '" + name + "'");
    };
    initialise(net);
    return net;
  }

  private static Conv2dImpl conv(int in, int out, int kernel, int stride, int padding, boolean bias) {
    Conv2dOptions options = new Conv2dOptions(in, out, new LongPointer(kernel, kernel));
    options.stride().put(new long[] {stride, stride}); // put(a, b) would set element a to b
    options.padding().put(new LongPointer(padding, padding));
    options.bias().put(bias);
    return new Conv2dImpl(options);
  }

  private static BatchNorm2dImpl batchNorm(int channels) {
    return new BatchNorm2dImpl(new BatchNormOptions(channels));
  }

  /** DJL's default initialisation, applied to every weight (rank >= 2), bias and batch-norm parameter. */
  private static void initialise(Module module) {
    try (NoGradGuard noGrad = new NoGradGuard()) {
      var named = module.named_parameters();
      for (long i = 0; i < named.size(); i++) {
        String name = named.keys().get(i).getString();
        Tensor parameter = named.values().get(i);
        long[] shape = parameter.sizes().vec().get();
        if (name.endsWith("weight") && shape.length >= 2) {
          long receptive = 1;
          for (int d = 2; d < shape.length; d++) {
            receptive *= shape[d];
          }
          double factor = (shape[1] * receptive + shape[0] * receptive) / 2.0;
          double bound = Math.sqrt(6 / factor);
          parameter.uniform_(-bound, bound, new GeneratorOptional());
        } else if (name.endsWith("weight")) {
          parameter.fill_(new org.bytedeco.pytorch.Scalar(1.0));
        } else {
          parameter.zero_();
        }
      }
    }
  }

  /** LeNet-5 with batch norm, as Tessera's {@code lenet}. */
  static final class Lenet extends Net {
    private final Conv2dImpl conv1;
    private final BatchNorm2dImpl bn1;
    private final Conv2dImpl conv2;
    private final BatchNorm2dImpl bn2;
    private final LinearImpl fc1;
    private final LinearImpl fc2;
    private final LinearImpl fc3;

    Lenet(int channels, int size, int classes) {
      conv1 = register_module("conv1", conv(channels, 6, 5, 1, size == 28 ? 2 : 0, true));
      bn1 = register_module("bn1", batchNorm(6));
      conv2 = register_module("conv2", conv(6, 16, 5, 1, 0, true));
      bn2 = register_module("bn2", batchNorm(16));
      fc1 = register_module("fc1", new LinearImpl(16 * 5 * 5, 120));
      fc2 = register_module("fc2", new LinearImpl(120, 84));
      fc3 = register_module("fc3", new LinearImpl(84, classes));
    }

    @Override
    Tensor forward(Tensor x) {
      x = torch.max_pool2d(bn1.forward(conv1.forward(x)).relu(), 2, 2);
      x = torch.max_pool2d(bn2.forward(conv2.forward(x)).relu(), 2, 2);
      x = torch.flatten(x, 1, -1);
      return fc3.forward(fc2.forward(fc1.forward(x).relu()).relu());
    }
  }

  /** One basic block: conv-BN-ReLU-conv-BN plus the shortcut (identity, or option A), then ReLU. */
  static final class BasicBlock extends Module {
    private final Conv2dImpl conv1;
    private final BatchNorm2dImpl bn1;
    private final Conv2dImpl conv2;
    private final BatchNorm2dImpl bn2;
    private final int stride;
    private final int extraChannels;

    BasicBlock(int in, int out, int stride) {
      conv1 = register_module("conv1", conv(in, out, 3, stride, 1, false));
      bn1 = register_module("bn1", batchNorm(out));
      conv2 = register_module("conv2", conv(out, out, 3, 1, 1, false));
      bn2 = register_module("bn2", batchNorm(out));
      this.stride = stride;
      this.extraChannels = out - in;
    }

    Tensor forward(Tensor x) {
      Tensor residual = bn2.forward(conv2.forward(bn1.forward(conv1.forward(x)).relu()));
      Tensor shortcut = x;
      if (stride != 1 || extraChannels != 0) {
        shortcut = x.slice(2, new LongOptional(), new LongOptional(), stride)
            .slice(3, new LongOptional(), new LongOptional(), stride);
        shortcut = torch.pad(shortcut, 0, 0, 0, 0, 0, extraChannels);
      }
      return residual.add(shortcut).relu();
    }
  }

  /** The CIFAR-style ResNet of 6n + 2 layers, as Tessera's {@code resnet20} (n = 3). */
  static final class Resnet extends Net {
    private final Conv2dImpl stem;
    private final BatchNorm2dImpl stemBn;
    private final BasicBlock[] blocks;
    private final LinearImpl fc;

    Resnet(int n, int channels, int classes) {
      stem = register_module("stem", conv(channels, 16, 3, 1, 1, false));
      stemBn = register_module("stem_bn", batchNorm(16));
      blocks = new BasicBlock[3 * n];
      int in = 16;
      int b = 0;
      for (int filters : new int[] {16, 32, 64}) {
        for (int i = 0; i < n; i++) {
          int stride = i == 0 && filters != 16 ? 2 : 1;
          blocks[b] = register_module("block" + b, new BasicBlock(in, filters, stride));
          b++;
          in = filters;
        }
      }
      fc = register_module("fc", new LinearImpl(64, classes));
    }

    @Override
    Tensor forward(Tensor x) {
      x = stemBn.forward(stem.forward(x)).relu();
      for (BasicBlock block : blocks) {
        x = block.forward(x);
      }
      x = torch.adaptive_avg_pool2d(x, 1, 1);
      return fc.forward(torch.flatten(x, 1, -1));
    }
  }
}
