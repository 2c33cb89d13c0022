package dev.tessera.transforms.image;

import java.util.Arrays;

/**
 * Run by {@link ResizeNormalizeVectorTest} in a child JVM started without {@code --add-modules=jdk.incubator.vector}:
 * prints whether the kernel uses the SIMD passes and a hash of its output, to show that the kernel loads and runs
 * (scalar) without the module and gives the same floats.
 */
final class ScalarFallbackMain {
  static final int OUT_W = 160;
  static final int OUT_H = 120;

  private ScalarFallbackMain() {}

  static int hash(ResizeNormalize kernel) {
    byte[] src = ResizeNormalizeTest.randomImage(240, 320, 3, 5);
    float[] out = new float[3 * OUT_W * OUT_H];
    kernel.apply(src, 240, 320, 3, out);
    return Arrays.hashCode(out);
  }

  public static void main(String[] args) {
    ResizeNormalize kernel = ResizeNormalize.of(ImageTransforms.resize(OUT_W, OUT_H),
        ImageTransforms.normalize(new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225}));
    System.out.println("vector=" + kernel.usesVector() + " hash=" + hash(kernel));
  }
}
