package dev.tessera.stages.ingest;

import java.util.SplittableRandom;

/**
 * A validation split cut from {@code train} at ingest: {@code count} samples of {@code train}, drawn with
 * {@code seed}, move to the split {@code split} (their ids change with it: {@code <dataset>/<split>/<name>}). The
 * draw depends only on the sorted ids of {@code train} and the seed, so the same folder and seed always hold out
 * the same samples, whatever the runner or the number of workers.
 *
 * <pre>{@code
 * Ingest.dataset("isbi-membrane").holdout(HoldoutSpec.of(5))   // 25 train, 5 val, seed 0
 * }</pre>
 *
 * @param split the name of the held-out split, not {@code train}, such as {@code val}
 * @param count how many samples of {@code train} to move, >= 1 (fewer than {@code train} has, checked at ingest)
 * @param seed the seed of the draw
 */
public record HoldoutSpec(String split, int count, long seed) {
  public HoldoutSpec {
    if (split == null || !split.matches("[a-z0-9][a-z0-9_-]*") || split.equals("train")) {
      throw new IllegalArgumentException("ingest.holdout.split must be a split name other than 'train' (lower-case, "
          + "digits, '-', '_'), such as 'val', but was " + (split == null ? "null" : "'" + split + "'"));
    }
    if (count < 1) {
      throw new IllegalArgumentException("ingest.holdout.count must be >= 1 (samples moved from train to '" + split
          + "'), but was " + count);
    }
  }

  /** {@code count} samples to {@code val}, seed 0. */
  public static HoldoutSpec of(int count) {
    return new HoldoutSpec("val", count, 0);
  }

  /** Which of {@code size} sorted training samples are held out: a seeded partial Fisher-Yates shuffle. */
  boolean[] chosen(int size) {
    if (count >= size) {
      throw new IllegalArgumentException("ingest.holdout.count must be smaller than the " + size + " samples of "
          + "split 'train', but was " + count + "; lower it (or ingest more samples: ingest.limit)");
    }
    int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    boolean[] chosen = new boolean[size];
    for (int i = 0; i < count; i++) {
      int j = i + random.nextInt(size - i);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
      chosen[order[i]] = true;
    }
    return chosen;
  }
}
