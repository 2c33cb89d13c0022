package dev.tessera.stages.train;

import java.util.SplittableRandom;

/** Tiny, linearly separable image data for trainer tests: class k is a bright 8x8 square in quadrant k. */
final class SyntheticImages {
  final float[][] images;
  final int[] labels;

  private SyntheticImages(float[][] images, int[] labels) {
    this.images = images;
    this.labels = labels;
  }

  /** {@code perClass} noisy samples of each of 4 classes, 1 x size x size, interleaved by class. */
  static SyntheticImages quadrants(int perClass, int size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int n = perClass * 4;
    float[][] images = new float[n][size * size];
    int[] labels = new int[n];
    int half = size / 2;
    for (int i = 0; i < n; i++) {
      int label = i % 4;
      labels[i] = label;
      float[] image = images[i];
      for (int p = 0; p < image.length; p++) {
        image[p] = (float) (random.nextDouble() * 0.3);
      }
      int top = (label / 2) * half + random.nextInt(half - 8);
      int left = (label % 2) * half + random.nextInt(half - 8);
      for (int y = top; y < top + 8; y++) {
        for (int x = left; x < left + 8; x++) {
          image[y * size + x] = 1f;
        }
      }
    }
    return new SyntheticImages(images, labels);
  }

  /** All images as one NCHW array. */
  float[] flat() {
    int sampleSize = images[0].length;
    float[] flat = new float[images.length * sampleSize];
    for (int i = 0; i < images.length; i++) {
      System.arraycopy(images[i], 0, flat, i * sampleSize, sampleSize);
    }
    return flat;
  }
}
