package dev.tessera.stages.detection.train;

import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardReader;
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
 * (scaled to [0, 1]).
 */
public final class DetectionShards {
  private final Path dir;
  private final List<ShardInfo> shards;
  private final int side;
  private final int batchSize;
  private final long seed;

  /** Batches of {@code batchSize} from {@code shards} (files relative to {@code dir}); the last may be smaller. */
  public DetectionShards(Path dir, List<ShardInfo> shards, int side, int batchSize, long seed) {
    this.dir = dir;
    this.shards = List.copyOf(shards);
    this.side = side;
    this.batchSize = batchSize;
    this.seed = seed;
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

  /** Hands every batch of epoch {@code epoch} (0-based) to {@code consumer}, in this epoch's order. */
  public void forEachBatch(int epoch, BatchConsumer consumer) throws IOException, InterruptedException {
    Random random = new Random(seed * 1_000_003L + epoch);
    List<ShardInfo> order = new ArrayList<>(shards);
    Collections.shuffle(order, random);
    List<Sample> pending = new ArrayList<>();
    for (ShardInfo shard : order) {
      List<Sample> samples = new ArrayList<>();
      try (ShardReader reader = ShardReader.open(dir.resolve(shard.file()))) {
        reader.samples().forEachRemaining(samples::add);
      }
      Collections.shuffle(samples, random);
      for (Sample s : samples) {
        pending.add(s);
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

  DetectionBatch toBatch(List<Sample> samples) {
    int plane = side * side;
    float[] images = new float[samples.size() * 3 * plane];
    List<List<dev.tessera.transforms.sample.Box>> boxes = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      if (s.height() != side || s.width() != side || s.channels() != 3) {
        throw new IllegalArgumentException("train-detector.imageSize is " + side + ", but sample '" + s.id()
            + "' is " + s.channels() + "x" + s.height() + "x" + s.width() + " (CxHxW). Letterbox the dataset to "
            + side + " (augment.letterboxSize) or set train-detector.imageSize to match.");
      }
      float[] px = s.floatPixels();
      if (s.dtype() == DType.FLOAT32 && s.layout() == Layout.CHW) {
        System.arraycopy(px, 0, images, i * 3 * plane, 3 * plane);
      } else if (s.dtype() == DType.UINT8 && s.layout() == Layout.HWC) {
        for (int p = 0; p < plane; p++) {
          for (int c = 0; c < 3; c++) {
            images[i * 3 * plane + c * plane + p] = px[p * 3 + c] / 255f;
          }
        }
      } else {
        throw new IllegalArgumentException("train-detector reads float32 CHW or uint8 HWC images, but sample '"
            + s.id() + "' is " + s.dtype() + " " + s.layout() + ".");
      }
      boxes.add(s.boxes() == null ? List.of() : s.boxes());
    }
    return new DetectionBatch(images, samples.size(), boxes);
  }
}
