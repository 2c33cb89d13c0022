package dev.tessera.pipelines.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.artifact.Digests;
import dev.tessera.transforms.sample.Sample;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardWriterTest {
  @TempDir Path dir;

  static ShardInfo write(Path file, List<Sample> samples, int rowsPerBatch) throws IOException {
    try (ShardWriter writer = ShardWriter.create(file,
        ShardWriterSettings.of("toy", TestSamples.CLASSES).withRowsPerBatch(rowsPerBatch))) {
      for (Sample s : samples) {
        writer.write(s);
      }
      return writer.finish();
    }
  }

  static List<Sample> readAll(Path file) throws IOException {
    List<Sample> out = new ArrayList<>();
    try (ShardReader reader = ShardReader.open(file)) {
      reader.samples().forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void roundTripsSamplesWithBoxesAndNulls() throws IOException {
    Path file = dir.resolve("toy-00000.arrow");
    ShardInfo info = write(file, TestSamples.mixed(), 2);

    assertEquals(new ShardInfo("toy-00000.arrow", 5, Digests.sha256Hex(file)), info);
    assertEquals(TestSamples.mixed(), readAll(file));
    try (ShardReader reader = ShardReader.open(file)) {
      assertEquals(new SampleSchema.Info("toy", TestSamples.CLASSES, SampleSchema.VERSION), reader.info());
      assertEquals(3, reader.batchCount());
    }
  }

  @Test
  void writesAnEmptyShard() throws IOException {
    Path file = dir.resolve("empty.arrow");
    assertEquals(0, write(file, List.of(), 4).rows());
    assertEquals(List.of(), readAll(file));
  }

  @Test
  void sameSamplesGiveTheSameBytes() throws IOException {
    ShardInfo a = write(dir.resolve("a.arrow"), TestSamples.grays(10), 3);
    ShardInfo b = write(dir.resolve("b.arrow"), TestSamples.grays(10), 3);
    assertEquals(a.sha256(), b.sha256());
  }

  @Test
  void closesBatchesEarlyWhenTheyReachMaxBatchBytes() throws IOException {
    Path file = dir.resolve("small-batches.arrow");
    ShardWriterSettings settings = ShardWriterSettings.of("toy", TestSamples.CLASSES).withMaxBatchBytes(12);
    try (ShardWriter writer = ShardWriter.create(file, settings)) {
      for (Sample s : TestSamples.grays(5)) {
        writer.write(s); // 6 bytes each: two per batch
      }
      writer.finish();
    }
    try (ShardReader reader = ShardReader.open(file)) {
      assertEquals(3, reader.batchCount());
    }
    assertEquals(TestSamples.grays(5), readAll(file));
  }

  @Test
  void interruptedWriteLeavesNoVisibleFile() throws IOException {
    Path file = dir.resolve("train-00000.arrow");
    assertThrows(IllegalStateException.class, () -> {
      try (ShardWriter writer = ShardWriter.create(file,
          ShardWriterSettings.of("toy", TestSamples.CLASSES).withRowsPerBatch(2))) {
        for (Sample s : TestSamples.grays(5)) {
          writer.write(s); // batches are flushed to disk before the failure
        }
        throw new IllegalStateException("worker lost");
      }
    });
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(), files.toList(), "nothing, not even the temporary file, is left");
    }
  }

  @Test
  void failedOverwriteKeepsThePreviousShard() throws IOException {
    Path file = dir.resolve("train-00000.arrow");
    ShardInfo first = write(file, TestSamples.grays(3), 2);
    try (ShardWriter writer = ShardWriter.create(file, ShardWriterSettings.of("toy", TestSamples.CLASSES))) {
      writer.write(TestSamples.gray(9));
    } // closed without finish()
    assertEquals(first.sha256(), Digests.sha256Hex(file));
  }

  @Test
  void rejectsALabelOutsideTheClassList() throws IOException {
    try (ShardWriter writer = ShardWriter.create(dir.resolve("x.arrow"),
        ShardWriterSettings.of("toy", List.of("a", "b")))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> writer.write(TestSamples.gray(2)));
      assertEquals("sample 'toy/train/00002': label 2 is not a class of dataset 'toy' (2 classes: 0..1)",
          e.getMessage());
    }
  }

  @Test
  void rejectsBadSettingsNamingTheParameter() {
    assertEquals("shards.rowsPerBatch must be in [1, 1048576], but was 0",
        assertThrows(IllegalArgumentException.class,
            () -> ShardWriterSettings.of("toy", List.of()).withRowsPerBatch(0)).getMessage());
    assertEquals("shard file name must end with .arrow, but was 'x.parquet'",
        assertThrows(IllegalArgumentException.class,
            () -> ShardWriter.create(dir.resolve("x.parquet"), ShardWriterSettings.of("toy", List.of())))
            .getMessage());
  }

  @Test
  void settingsAreSerializableForDoFns() throws Exception {
    ShardWriterSettings settings = ShardWriterSettings.of("toy", TestSamples.CLASSES).withRowsPerBatch(7);
    Path file = dir.resolve("settings.ser");
    try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(file))) {
      out.writeObject(settings);
    }
    try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(file))) {
      assertEquals(settings, in.readObject());
    }
  }

  @Test
  void readsImagesIntoCallerArraysAcrossBatches() throws IOException {
    Path file = dir.resolve("train.arrow");
    write(file, TestSamples.grays(5), 2);
    float[] images = new float[4 * 6];
    int[] labels = new int[4];
    try (ShardReader reader = ShardReader.open(file)) {
      assertEquals(4, reader.readImagesFloat(images, labels, 4, 0.5f));
      assertArrayEquals(new int[] {0, 1, 2, 0}, labels);
      assertEquals(0f, images[0]);
      assertEquals((30 + 5) * 0.5f, images[3 * 6 + 5]); // sample 3, pixel 5
      assertEquals(1, reader.readImagesFloat(images, labels, 4, 1f));
      assertEquals(40f, images[0]);
      assertEquals(0, reader.readImagesFloat(images, labels, 4, 1f));
    }
  }

  @Test
  void batchViewGivesColumnsWithoutSamples() throws IOException {
    Path file = dir.resolve("mixed.arrow");
    write(file, TestSamples.mixed(), 10);
    try (ShardReader reader = ShardReader.open(file)) {
      assertTrue(reader.loadNextBatch());
      SampleBatch batch = reader.batch();
      assertEquals(5, batch.rowCount());
      assertEquals(-1, batch.label(0, -1));
      float[] floats = new float[6];
      assertEquals(6, batch.copyImageAsFloat(2, floats, 0, 1f));
      assertArrayEquals(TestSamples.mixed().get(2).floatPixels(), floats);
      assertFalse(reader.loadNextBatch());
    }
  }

  @Test
  void samplesIteratorStopsAtTheEnd() throws IOException {
    Path file = dir.resolve("t.arrow");
    write(file, TestSamples.grays(3), 2);
    try (ShardReader reader = ShardReader.open(file)) {
      Iterator<Sample> it = reader.samples();
      for (int i = 0; i < 3; i++) {
        assertTrue(it.hasNext());
        assertEquals(TestSamples.gray(i), it.next());
      }
      assertFalse(it.hasNext());
    }
  }

  @Test
  void rejectsAFileWithoutTheSampleSchema() throws IOException {
    Path file = dir.resolve("junk.arrow");
    Files.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    IOException e = assertThrows(IOException.class, () -> ShardReader.open(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }
}
