package dev.tessera.stages.preview;

import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.data.Locations;
import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardReader;
import dev.tessera.transforms.image.NormalizeSpec;
import dev.tessera.transforms.sample.Box;
import dev.tessera.transforms.sample.DType;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Draws samples as a grid of thumbnails with their boxes and class names, headless (java.awt on an in-memory
 * image). uint8 images are drawn as they are; float images are de-normalized ({@code 255 * (v * std + mean)}) when
 * the normalization is known (a dataset's {@link Normalization} file), else stretched from their own min..max to
 * 0..255. Deterministic: the same samples give the same PNG bytes.
 *
 * <pre>{@code
 * SampleGrid.writeDatasetPreview(artifactDir, Path.of("preview.png"), 16);
 * }</pre>
 */
public final class SampleGrid {
  private static final Color[] PALETTE = {new Color(230, 25, 75), new Color(60, 180, 75), new Color(0, 130, 200),
      new Color(245, 130, 48), new Color(145, 30, 180), new Color(70, 240, 240), new Color(240, 50, 230),
      new Color(210, 245, 60), new Color(250, 190, 212), new Color(0, 128, 128)};

  private SampleGrid() {}

  /**
   * The grid: {@code columns} thumbnails per row, each fitted into a {@code cell x cell} square (aspect kept), with
   * the sample's boxes scaled along and labelled with their class name (or id).
   */
  public static BufferedImage render(List<Sample> samples, List<String> classes, int columns, int cell) {
    return render(samples, classes, columns, cell, null);
  }

  /**
   * As {@link #render(List, List, int, int)}, drawing float images de-normalized with {@code normalization} (or
   * stretched when it is {@code null}).
   */
  public static BufferedImage render(List<Sample> samples, List<String> classes, int columns, int cell,
      NormalizeSpec normalization) {
    if (columns <= 0 || cell <= 0) {
      throw new IllegalArgumentException("grid columns and cell size must be positive, but were " + columns + " and "
          + cell);
    }
    int rows = Math.max(1, (samples.size() + columns - 1) / columns);
    int pad = 4;
    BufferedImage grid = new BufferedImage(columns * (cell + pad) + pad, rows * (cell + pad) + pad,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = grid.createGraphics();
    try {
      g.setColor(Color.DARK_GRAY);
      g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
      for (int i = 0; i < samples.size(); i++) {
        Sample sample = samples.get(i);
        BufferedImage image = toImage(sample, normalization);
        double scale = Math.min((double) cell / sample.width(), (double) cell / sample.height());
        int w = (int) Math.round(sample.width() * scale);
        int h = (int) Math.round(sample.height() * scale);
        int x0 = pad + (i % columns) * (cell + pad) + (cell - w) / 2;
        int y0 = pad + (i / columns) * (cell + pad) + (cell - h) / 2;
        g.drawImage(image, x0, y0, w, h, null);
        if (sample.boxes() != null) {
          g.setStroke(new BasicStroke(1.5f));
          for (Box box : sample.boxes()) {
            Color color = PALETTE[Math.floorMod(box.classId(), PALETTE.length)];
            g.setColor(color);
            int bx = x0 + (int) Math.round(box.x1() * scale);
            int by = y0 + (int) Math.round(box.y1() * scale);
            g.drawRect(bx, by, (int) Math.round(box.width() * scale), (int) Math.round(box.height() * scale));
            String name = box.classId() >= 0 && box.classId() < classes.size()
                ? classes.get(box.classId()) : Integer.toString(box.classId());
            g.drawString(name, bx + 2, Math.max(y0 + 10, by - 2));
          }
        }
        g.setColor(Color.WHITE);
        String id = sample.id().substring(sample.id().lastIndexOf('/') + 1);
        g.drawString(id, x0 + 2, y0 + h - 3);
      }
    } finally {
      g.dispose();
    }
    return grid;
  }

  /**
   * Renders the first {@code count} samples of a dataset directory as a 4-column grid of 160-pixel cells and writes
   * it as PNG to {@code png} (atomically); returns {@code png}. Shards are read split by split, {@code train} first
   * (where augmentation shows), then the others in name order, each in {@code shards.json} order; float images are
   * de-normalized with the directory's {@link Normalization} when it has one.
   */
  public static Path writeDatasetPreview(Path datasetDir, Path png, int count) throws IOException {
    return writeDatasetPreview(datasetDir.toString(), Normalization.read(datasetDir).orElse(null), png, count);
  }

  /**
   * As {@link #writeDatasetPreview(Path, Path, int)} for a dataset folder on any Beam file system (such as the
   * staging folder in a bucket that a stage's workers wrote), de-normalizing float images with
   * {@code normalization} (none: null).
   */
  public static Path writeDatasetPreview(String location, NormalizeSpec normalization, Path png, int count)
      throws IOException {
    DatasetManifest manifest = DatasetManifest.read(location);
    List<ShardInfo> shards = new ArrayList<>();
    DatasetManifest.Split train = manifest.splits().get("train");
    if (train != null) {
      shards.addAll(train.shards());
    }
    manifest.splits().forEach((name, split) -> {
      if (!name.equals("train")) {
        shards.addAll(split.shards());
      }
    });
    List<Sample> samples = new ArrayList<>();
    for (ShardInfo shard : shards) {
      if (samples.size() >= count) {
        break;
      }
      try (ShardReader reader = ShardReader.open(Locations.resolve(location, shard.file()), null)) {
        Iterator<Sample> it = reader.samples();
        while (it.hasNext() && samples.size() < count) {
          samples.add(it.next());
        }
      }
    }
    BufferedImage grid = render(samples, manifest.classes(), 4, 160, normalization);
    Path absolute = png.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
    try {
      if (!ImageIO.write(grid, "png", temp.toFile())) {
        throw new IOException("no PNG writer available in this JVM");
      }
      Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    return absolute;
  }

  /** The sample as an RGB image; float pixels de-normalized with {@code normalization} unless it is null. */
  static BufferedImage toImage(Sample sample, NormalizeSpec normalization) {
    int h = sample.height();
    int w = sample.width();
    int c = sample.channels();
    float[] values = sample.floatPixels();
    float min = 0;
    float max = 255;
    boolean denormalize = sample.dtype() == DType.FLOAT32 && normalization != null;
    if (denormalize) {
      normalization.checkChannels(c);
    } else if (sample.dtype() == DType.FLOAT32) {
      min = Float.POSITIVE_INFINITY;
      max = Float.NEGATIVE_INFINITY;
      for (float v : values) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    float range = max > min ? max - min : 1f;
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int[] rgb = new int[3];
        for (int k = 0; k < 3; k++) {
          int ch = Math.min(k, c - 1);
          int index = sample.layout() == Layout.HWC ? (y * w + x) * c + ch : ch * h * w + y * w + x;
          float level = denormalize
              ? (float) ((values[index] * normalization.stdOf(ch) + normalization.meanOf(ch)) * 255)
              : (values[index] - min) * 255f / range;
          rgb[k] = Math.max(0, Math.min(255, Math.round(level)));
        }
        image.setRGB(x, y, (rgb[0] << 16) | (rgb[1] << 8) | rgb[2]);
      }
    }
    return image;
  }
}
