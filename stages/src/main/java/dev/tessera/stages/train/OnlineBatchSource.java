package dev.tessera.stages.train;

import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardReader;
import dev.tessera.stages.train.internal.BatchPool;
import dev.tessera.transforms.augment.RandomSampleFunction;
import dev.tessera.transforms.augment.Randomness;
import dev.tessera.transforms.image.Interpolation;
import dev.tessera.transforms.image.Resize;
import dev.tessera.transforms.image.ResizeNormalize;
import dev.tessera.transforms.sample.DType;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * Training batches prepared online from {@code uint8} HWC shards: each epoch, every sample goes through the
 * {@link OnlineSpec}'s augmentations (drawn from train seed, epoch and sample id) and its resize-and-normalize
 * kernel, straight into the batch. One shard's samples are in memory at a time, so memory stays bounded by the
 * shard size whatever the dataset size. Batch arrays handed back with {@link Cursor#release} are reused.
 *
 * <p>Per-pixel labels: with {@code masks} on, each sample's mask (which the augmentations crop, flip and resize with
 * the image) is resized to the model input with nearest on the image's grid
 * ({@link dev.tessera.transforms.image.Interpolation#NEAREST_EXACT}) and becomes the sample's {@code H * W} labels,
 * row-major, in place of its class label.
 *
 * <p>Order: with shuffling on, each epoch visits the shards in an order drawn from (seed, epoch) and the rows of
 * each shard in an order drawn from (seed, epoch, shard file); batches span shard boundaries. The same seed and
 * epoch always give the same batches, bit for bit. Wrap it in a {@link PrefetchingBatchSource} so the preparation
 * runs beside the training step.
 */
public final class OnlineBatchSource implements BatchSource {
  private final Path datasetDir;
  private final List<ShardInfo> shards;
  private final OnlineSpec spec;
  private final int channels;
  private final int batchSize;
  private final long seed;
  private final boolean shuffle;
  private final int elementsPerImage;
  private final boolean masks;
  private final BatchPool pool;
  private final ShardBatchSource.Holdout holdout;
  private final long samples;

  /**
   * @param datasetDir the dataset artifact's directory (uint8 HWC samples with labels)
   * @param shards the shards to read (paths relative to {@code datasetDir})
   * @param spec the augmentations and the model input size
   * @param channels the model's input channels; every sample must have as many
   * @param batchSize samples per batch
   * @param seed the seed of the shuffle and of every augmentation
   * @param shuffle false to read in manifest order
   */
  public OnlineBatchSource(Path datasetDir, List<ShardInfo> shards, OnlineSpec spec, int channels, int batchSize,
      long seed, boolean shuffle) {
    this(datasetDir, shards, spec, channels, batchSize, seed, shuffle, null, false);
  }

  /**
   * As {@link #OnlineBatchSource(Path, List, OnlineSpec, int, int, long, boolean)}, reading only the rows
   * {@code holdout} selects (null: all): the same rows, drawn from (seed, shard file, row), that a
   * {@link ShardBatchSource} with that holdout reads, so one seed holds out the same samples on either path; with
   * per-pixel labels from the samples' masks when {@code masks} is true (see the class comment).
   */
  public OnlineBatchSource(Path datasetDir, List<ShardInfo> shards, OnlineSpec spec, int channels, int batchSize,
      long seed, boolean shuffle, ShardBatchSource.Holdout holdout, boolean masks) {
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("no shards to read in " + datasetDir);
    }
    this.datasetDir = datasetDir;
    this.shards = List.copyOf(shards);
    this.spec = spec;
    this.channels = channels;
    this.batchSize = batchSize;
    this.seed = seed;
    this.shuffle = shuffle;
    this.elementsPerImage = channels * spec.resizeWidth() * spec.resizeHeight();
    this.masks = masks;
    this.pool = new BatchPool(batchSize, elementsPerImage, masks ? spec.resizeWidth() * spec.resizeHeight() : 1);
    this.holdout = holdout;
    long total = 0;
    for (ShardInfo info : this.shards) {
      for (int row = 0; row < info.rows(); row++) {
        total += reads(info, row) ? 1 : 0;
      }
    }
    if (total == 0) {
      throw new IllegalArgumentException("the " + (holdout != null && holdout.heldOut() ? "held-out" : "selected")
          + " rows of the shards in " + datasetDir + " are none: raise train.validation.holdoutFraction or use more "
          + "data");
    }
    this.samples = total;
  }

  private boolean reads(ShardInfo info, int row) {
    return holdout == null || holdout.reads(info.file(), row);
  }

  /** Total samples in one epoch (those the holdout selects, if there is one). */
  public long samples() {
    return samples;
  }

  @Override
  public OptionalLong batchesPerEpoch() {
    return OptionalLong.of((samples() + batchSize - 1) / batchSize);
  }

  @Override
  public Cursor epoch(int epoch) {
    List<ShardInfo> order = new ArrayList<>(shards);
    if (shuffle) {
      shuffle(order, Randomness.forSample(seed, epoch, "shards", "online-order"));
    }
    return new OnlineCursor(order, epoch);
  }

  private static <T> void shuffle(List<T> list, SplittableRandom random) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      list.set(j, list.set(i, list.get(j)));
    }
  }

  private final class OnlineCursor implements Cursor {
    private final List<ShardInfo> order;
    private final int epoch;
    private final List<RandomSampleFunction> augmentations = spec.augmentations();
    private final ResizeNormalize kernel = spec.kernel();
    private final float[] prepared = new float[elementsPerImage];
    private final byte[] mask = masks ? new byte[spec.resizeWidth() * spec.resizeHeight()] : null;
    private int nextShard;
    private List<Sample> rows = List.of();
    private int position;

    OnlineCursor(List<ShardInfo> order, int epoch) {
      this.order = order;
      this.epoch = epoch;
    }

    @Override
    public boolean hasNext() {
      return position < rows.size() || nextShard < order.size();
    }

    @Override
    public ImageBatch next() {
      if (!hasNext()) {
        throw new NoSuchElementException("epoch " + epoch + " has no more batches");
      }
      BatchPool.Slot slot = pool.take();
      float[] images = slot.images();
      int[] labels = slot.labels();
      int count = 0;
      while (count < batchSize) {
        if (position == rows.size()) {
          if (nextShard == order.size()) {
            break;
          }
          load(order.get(nextShard++));
        }
        Sample sample = rows.get(position++);
        Sample augmented = prepare(sample);
        System.arraycopy(prepared, 0, images, count * elementsPerImage, elementsPerImage);
        if (masks) {
          prepareMask(augmented);
          for (int i = 0, at = count * mask.length; i < mask.length; i++) {
            labels[at + i] = mask[i] & 0xFF;
          }
          count++;
        } else {
          labels[count++] = sample.label();
        }
      }
      return new ImageBatch(images, labels, count);
    }

    /** Augments the sample, resizes and normalizes its image into {@code prepared}; returns the augmented one. */
    private Sample prepare(Sample sample) {
      Sample s = sample;
      for (RandomSampleFunction step : augmentations) {
        s = step.apply(s, Randomness.forSample(seed, epoch, s.id(), step.stream()));
      }
      kernel.apply(s.pixels(), s.height(), s.width(), s.channels(), prepared);
      return s;
    }

    /** The augmented sample's mask at the model's input size, into {@code mask}. */
    private void prepareMask(Sample s) {
      Resize.apply(s.mask(), s.height(), s.width(), 1, spec.resizeWidth(), spec.resizeHeight(),
          Interpolation.BILINEAR.forMasks(), mask);
    }

    private void load(ShardInfo info) {
      Path file = datasetDir.resolve(info.file());
      List<Sample> loaded = new ArrayList<>((int) info.rows());
      int row = 0;
      try (ShardReader reader = ShardReader.open(file)) {
        for (Iterator<Sample> it = reader.samples(); it.hasNext(); row++) {
          Sample sample = check(it.next(), info);
          if (reads(info, row)) {
            loaded.add(sample);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read shard " + file, e);
      }
      if (row != info.rows()) {
        throw new IllegalStateException("shard " + info.file() + " has " + row + " rows, but its "
            + "manifest says " + info.rows());
      }
      if (shuffle) {
        shuffle(loaded, Randomness.forSample(seed, epoch, info.file(), "online-order"));
      }
      rows = loaded;
      position = 0;
    }

    private Sample check(Sample s, ShardInfo info) {
      if (s.dtype() != DType.UINT8 || s.layout() != Layout.HWC) {
        throw new IllegalArgumentException("train.online prepares uint8 HWC images (an ingest output), but sample '"
            + s.id() + "' of shard " + info.file() + " is " + s.dtype() + " " + s.layout() + ". Train on the "
            + "ingest stage's output, or drop train.online to train on preprocessed float shards.");
      }
      if (s.channels() != channels) {
        throw new IllegalArgumentException("train.model takes " + channels + "-channel images, but sample '" + s.id()
            + "' of shard " + info.file() + " has " + s.channels() + " channels. Set the model input channels to "
            + s.channels() + ".");
      }
      if (masks && s.mask() == null) {
        throw new IllegalStateException("sample '" + s.id() + "' of shard " + info.file() + " has no mask; "
            + "training a per-pixel model (such as unet) needs a mask on every sample of the split");
      }
      if (!masks && s.label() == null) {
        throw new IllegalStateException("sample '" + s.id() + "' of shard " + info.file() + " has no label; "
            + "training a classifier needs a label on every sample");
      }
      return s;
    }

    @Override
    public void release(ImageBatch batch) {
      pool.give(batch);
    }

    @Override
    public void close() {
      rows = List.of();
      position = 0;
      nextShard = order.size();
    }
  }
}
