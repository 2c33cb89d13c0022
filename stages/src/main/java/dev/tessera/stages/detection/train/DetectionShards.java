package dev.tessera.stages.detection.train;

import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardReader;
import dev.tessera.transforms.sample.Box;
import dev.tessera.transforms.sample.DType;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Batches of a detection split read from Arrow shards, one shard in memory at a time: each epoch visits the shards
 * in a seeded random order and shuffles the samples within each, so the order is a pure function of (seed, epoch).
 * Accepts square images of {@code side} pixels as float32 CHW (an augment output, used as stored) or u8 HWC
 * (scaled to [0, 1]). An {@link EpochAugment} draws each epoch's mosaics, flips and brightness from (seed, epoch,
 * sample id), mosaic partners from the same shard.
 */
public final class DetectionShards {
  private final Path dir;
  private final List<ShardInfo> shards;
  private final int side;
  private final int batchSize;
  private final long seed;
  private final EpochAugment augment;

  /** Batches of {@code batchSize} from {@code shards} (files relative to {@code dir}); the last may be smaller. */
  public DetectionShards(Path dir, List<ShardInfo> shards, int side, int batchSize, long seed) {
    this(dir, shards, side, batchSize, seed, EpochAugment.none());
  }

  /** As above, each epoch's images drawn anew through {@code augment} (mosaic partners from the same shard). */
  public DetectionShards(Path dir, List<ShardInfo> shards, int side, int batchSize, long seed,
      EpochAugment augment) {
    this.dir = dir;
    this.shards = List.copyOf(shards);
    this.side = side;
    this.batchSize = batchSize;
    this.seed = seed;
    this.augment = augment;
  }

  /** Batches per epoch for {@code rows} samples. */
  public long batchesPerEpoch() {
    long rows = shards.stream().mapToLong(ShardInfo::rows).sum();
    return (rows + batchSize - 1) / batchSize;
  }

  /** Every box size {@code {width, height}} in pixels over all shards (for anchors). */
  public List<double[]> boxSizes() throws IOException {
    List<double[]> sizes = new ArrayList<>();
    for (ShardInfo shard : shards) {
      try (ShardReader reader = ShardReader.open(dir.resolve(shard.file()))) {
        for (Iterator<Sample> it = reader.samples(); it.hasNext(); ) {
          Sample s = it.next();
          if (s.boxes() != null) {
            s.boxes().forEach(b -> sizes.add(new double[] {b.x2() - b.x1(), b.y2() - b.y1()}));
          }
        }
      }
    }
    return sizes;
  }

  /** Hands every batch of epoch {@code epoch} (0-based) to {@code consumer}, in this epoch's order, with mosaic. */
  public void forEachBatch(int epoch, BatchConsumer consumer) throws IOException, InterruptedException {
    forEachBatch(epoch, true, consumer);
  }

  /**
   * Hands every batch of epoch {@code epoch} (0-based) to {@code consumer}, in this epoch's order, augmented by
   * this reader's {@link EpochAugment} ({@code mosaic} false turns its mosaic off, as close-mosaic does).
   */
  public void forEachBatch(int epoch, boolean mosaic, BatchConsumer consumer)
      throws IOException, InterruptedException {
    Random random = new Random(seed * 1_000_003L + epoch);
    List<ShardInfo> order = new ArrayList<>(shards);
    Collections.shuffle(order, random);
    List<EpochAugment.Image> pending = new ArrayList<>();
    for (ShardInfo shard : order) {
      List<EpochAugment.Source> sources = new ArrayList<>();
      try (ShardReader reader = ShardReader.open(dir.resolve(shard.file()))) {
        reader.samples().forEachRemaining(s -> sources.add(toSource(s)));
      }
      // Augment in file order (so partners do not depend on the shuffle), then visit in shuffled order.
      List<EpochAugment.Image> images = new ArrayList<>(sources.size());
      for (int i = 0; i < sources.size(); i++) {
        images.add(augment.identity() ? new EpochAugment.Image(sources.get(i).pixels(), sources.get(i).boxes())
            : augment.apply(sources, i, side, seed, epoch, mosaic));
      }
      sources.clear();
      Collections.shuffle(images, random);
      for (EpochAugment.Image image : images) {
        pending.add(image);
        if (pending.size() == batchSize) {
          consumer.accept(toBatch(pending));
          pending.clear();
        }
      }
    }
    if (!pending.isEmpty()) {
      consumer.accept(toBatch(pending));
    }
  }

  /** Receives batches; may throw when cancelled. */
  public interface BatchConsumer {
    void accept(DetectionBatch batch) throws InterruptedException;
  }

  /** Every sample of the shards, in order, to {@code consumer}. */
  public void forEachSample(Consumer<Sample> consumer) throws IOException {
    for (ShardInfo shard : shards) {
      try (ShardReader reader = ShardReader.open(dir.resolve(shard.file()))) {
        reader.samples().forEachRemaining(consumer);
      }
    }
  }

  /** One sample as float CHW pixels in the dataset's normalization, with its boxes. */
  EpochAugment.Source toSource(Sample s) {
    int plane = side * side;
    if (s.height() != side || s.width() != side || s.channels() != 3) {
      throw new IllegalArgumentException("train-detector.imageSize is " + side + ", but sample '" + s.id()
          + "' is " + s.channels() + "x" + s.height() + "x" + s.width() + " (CxHxW). Letterbox the dataset to "
          + side + " (augment.letterboxSize) or set train-detector.imageSize to match.");
    }
    float[] px = s.floatPixels();
    float[] chw;
    if (s.dtype() == DType.FLOAT32 && s.layout() == Layout.CHW) {
      chw = px;
    } else if (s.dtype() == DType.UINT8 && s.layout() == Layout.HWC) {
      chw = new float[3 * plane];
      for (int p = 0; p < plane; p++) {
        for (int c = 0; c < 3; c++) {
          chw[c * plane + p] = px[p * 3 + c] / 255f;
        }
      }
    } else {
      throw new IllegalArgumentException("train-detector reads float32 CHW or uint8 HWC images, but sample '"
          + s.id() + "' is " + s.dtype() + " " + s.layout() + ".");
    }
    return new EpochAugment.Source(s.id(), chw, s.boxes() == null ? List.of() : s.boxes());
  }

  DetectionBatch toBatch(List<EpochAugment.Image> images) {
    int size = 3 * side * side;
    float[] pixels = new float[images.size() * size];
    List<List<Box>> boxes = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      System.arraycopy(images.get(i).pixels(), 0, pixels, i * size, size);
      boxes.add(images.get(i).boxes());
    }
    return new DetectionBatch(pixels, images.size(), boxes);
  }
}
