package dev.tessera.pipelines.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.transforms.sample.DType;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bulk paths ({@code readImagesFloat}, {@link ShardImages}) give what reading sample by sample gives. */
class ShardReaderTest {
  @TempDir Path dir;

  /**
   * 23 samples of 2x2x3 in batches of 5: rows 0-9 float32 (a batch of one dtype: the bulk copy), rows 10-14 mixed
   * float32 and uint8 (row by row), the rest uint8; labels with gaps.
   */
  private Path shard() throws Exception {
    Path file = dir.resolve("mixed.arrow");
    try (ShardWriter writer = ShardWriter.create(file,
        ShardWriterSettings.of("toy", TestSamples.CLASSES).withRowsPerBatch(5))) {
      for (int i = 0; i < 23; i++) {
        byte[] gray = new byte[12];
        for (int k = 0; k < 12; k++) {
          gray[k] = (byte) (i * 11 + k * 7);
        }
        Sample sample = Sample.ofUint8("toy/train/" + i, gray, 2, 2, 3, Layout.HWC, i % 4 == 3 ? null : i % 3,
            "toy", "train");
        boolean asFloat = i < 10 || (i < 15 && i % 2 == 0);
        if (asFloat) {
          float[] pixels = new float[12];
          for (int k = 0; k < 12; k++) {
            pixels[k] = (float) Math.sin(i * 12 + k) * 3.5f;
          }
          sample = sample.withPixels(pixels, 2, 2, 3, Layout.CHW);
        }
        writer.write(sample);
      }
      writer.finish();
    }
    return file;
  }

  /** The reference: each sample's pixels decoded by hand, times scale. */
  private static List<float[]> expected(Path file, float scale) throws Exception {
    List<float[]> out = new ArrayList<>();
    try (ShardReader reader = ShardReader.open(file)) {
      for (Iterator<Sample> it = reader.samples(); it.hasNext(); ) {
        Sample s = it.next();
        float[] values = new float[s.height() * s.width() * s.channels()];
        ByteBuffer bytes = ByteBuffer.wrap(s.pixels()).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < values.length; k++) {
          values[k] = (s.dtype() == DType.UINT8 ? (s.pixels()[k] & 0xFF) : bytes.getFloat(4 * k)) * scale;
        }
        out.add(values);
      }
    }
    return out;
  }

  @Test
  void readImagesFloatEqualsSampleBySample() throws Exception {
    Path file = shard();
    for (float scale : new float[] {1f, 1f / 255}) {
      List<float[]> expected = expected(file, scale);
      for (int maxRows : new int[] {1, 3, 5, 7, 64}) {
        float[] images = new float[maxRows * 12];
        int[] labels = new int[maxRows];
        int row = 0;
        try (ShardReader reader = ShardReader.open(file)) {
          int n;
          while ((n = reader.readImagesFloat(images, labels, maxRows, scale)) > 0) {
            for (int i = 0; i < n; i++, row++) {
              float[] got = new float[12];
              System.arraycopy(images, i * 12, got, 0, 12);
              assertArrayEquals(expected.get(row), got, "row " + row + ", maxRows " + maxRows + ", scale " + scale);
              assertEquals(row % 4 == 3 ? -1 : row % 3, labels[i], "label of row " + row);
            }
          }
        }
        assertEquals(23, row);
      }
    }
  }

  @Test
  void shardImagesEqualsSampleBySampleInAnyOrder() throws Exception {
    Path file = shard();
    List<float[]> expected = expected(file, 1f);
    try (ShardImages shard = ShardImages.open(file)) {
      assertEquals(23, shard.rowCount());
      float[] dest = new float[14];
      for (int row = 22; row >= 0; row -= 3) {
        assertEquals(12, shard.elementCount(row));
        assertEquals(12, shard.copyImageAsFloat(row, dest, 2, 1f));
        float[] got = new float[12];
        System.arraycopy(dest, 2, got, 0, 12);
        assertArrayEquals(expected.get(row), got, "row " + row);
        assertEquals(row % 4 == 3 ? -1 : row % 3, shard.label(row, -1), "label of row " + row);
      }
    }
  }

  @Test
  void shardImagesCopiesRunsOfRowsAcrossRecordBatchesAsRowByRow() throws Exception {
    Path file = shard();
    List<float[]> expected = expected(file, 0.5f);
    try (ShardImages shard = ShardImages.open(file)) {
      // Runs inside the float32 batches (bulk), across batch boundaries, through the mixed and uint8 batches.
      int[][] runs = {{0, 5}, {3, 9}, {8, 7}, {0, 23}, {14, 1}, {20, 3}};
      for (int[] run : runs) {
        float[] dest = new float[1 + run[1] * 12];
        shard.copyImagesAsFloat(run[0], run[1], 12, dest, 1, 0.5f);
        for (int i = 0; i < run[1]; i++) {
          float[] got = new float[12];
          System.arraycopy(dest, 1 + i * 12, got, 0, 12);
          assertArrayEquals(expected.get(run[0] + i), got, "row " + (run[0] + i) + " of run " + run[0] + "+" + run[1]);
        }
      }
      assertThrows(IndexOutOfBoundsException.class, () -> shard.copyImagesAsFloat(20, 4, 12, new float[48], 0, 1f));
    }
  }

  @Test
  void aClosedShardRefusesReads() throws Exception {
    ShardImages shard = ShardImages.open(shard());
    shard.close();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> shard.copyImageAsFloat(0, new float[12], 0, 1f));
    assertTrue(e.getMessage().endsWith("is closed (its mapping is gone)"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> shard.label(0, -1));
  }
}
