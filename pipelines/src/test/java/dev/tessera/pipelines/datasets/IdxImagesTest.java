package dev.tessera.pipelines.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.transforms.sample.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxImagesTest {
  @TempDir Path dir;

  private Path imagesFile(boolean gzip) throws IOException {
    byte[] raw = IdxFixtures.images(5, 3, 4);
    return IdxFixtures.write(dir.resolve("imgs-idx3-ubyte" + (gzip ? ".gz" : "")), gzip ? IdxFixtures.gzip(raw) : raw);
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void readsHeaderAndARange(boolean gzip) throws IOException {
    IdxImages images = IdxImages.open(imagesFile(gzip));
    assertEquals(5, images.count());
    assertEquals(3, images.rows());
    assertEquals(4, images.cols());
    byte[] range = images.read(2, 4);
    assertEquals(2 * 12, range.length);
    assertEquals(IdxFixtures.pixel(2, 0), range[0]);
    assertEquals(IdxFixtures.pixel(3, 11), range[23]);
    assertArrayEquals(Arrays.copyOfRange(images.read(0, 5), 24, 48), range);
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void pairsImagesWithLabelsIntoSamples(boolean gzip) throws IOException {
    IdxImages images = IdxImages.open(imagesFile(gzip));
    byte[] rawLabels = IdxFixtures.labels(5);
    IdxLabels labels = IdxLabels.open(IdxFixtures.write(dir.resolve("labels-idx1-ubyte"),
        gzip ? IdxFixtures.gzip(rawLabels) : rawLabels));
    List<Sample> samples = new ArrayList<>();
    IdxSamples.read(images, labels, "mnist", "train", 3, 5, samples::add);
    assertEquals(2, samples.size());
    Sample s = samples.get(1);
    assertEquals("mnist/train/00004", s.id());
    assertEquals(4, s.label());
    assertEquals("imgs-idx3-ubyte" + (gzip ? ".gz" : "") + "#4", s.source());
    assertEquals(IdxFixtures.pixel(4, 5), s.pixels()[5]);
    assertEquals(3, s.height());
    assertEquals(4, s.width());
  }

  @Test
  void rejectsBadMagicNamingTheFile() throws IOException {
    Path labels = IdxFixtures.write(dir.resolve("train-labels-idx1-ubyte"), IdxFixtures.labels(3));
    IOException e = assertThrows(IOException.class, () -> IdxImages.open(labels));
    assertEquals(labels + ": not IDX images (idx3-ubyte): magic number is 0x00000801, expected 0x00000803"
        + " (unsigned bytes, 3 dimensions); the file has 1 dimension (images have 3, labels 1): were the images"
        + " and labels files swapped?", e.getMessage());

    Path text = IdxFixtures.write(dir.resolve("notes.txt"), "hello world, not idx".getBytes());
    e = assertThrows(IOException.class, () -> IdxLabels.open(text));
    assertTrue(e.getMessage().startsWith(text + ": not IDX labels (idx1-ubyte): magic number is 0x68656C6C"),
        e.getMessage());
  }

  @Test
  void rejectsATruncatedRawFileWhenOpened() throws IOException {
    byte[] raw = IdxFixtures.images(5, 3, 4);
    Path file = IdxFixtures.write(dir.resolve("cut-idx3-ubyte"), Arrays.copyOf(raw, raw.length - 1));
    IOException e = assertThrows(IOException.class, () -> IdxImages.open(file));
    assertEquals(file + ": truncated: the header declares 5 items of 3x4 (76 bytes with the header), but the file"
        + " has 75 bytes; download it again", e.getMessage());
  }

  @Test
  void rejectsATruncatedGzipFileWhenRead() throws IOException {
    byte[] raw = IdxFixtures.images(5, 3, 4);
    Path file = IdxFixtures.write(dir.resolve("cut-idx3-ubyte.gz"),
        IdxFixtures.gzip(Arrays.copyOf(raw, raw.length - 13)));
    IdxImages images = IdxImages.open(file); // the length of gzip data is only known by reading it
    IOException e = assertThrows(IOException.class, () -> images.read(0, 5));
    assertEquals(file + ": truncated: the header declares 5 items of 3x4, but the data ends 47 bytes after the"
        + " header; download it again", e.getMessage());
    assertEquals(12, images.read(0, 1).length, "the complete images before the cut are readable");
  }

  @Test
  void rejectsAHeaderShorterThanDeclared() throws IOException {
    Path file = IdxFixtures.write(dir.resolve("h-idx3-ubyte"), new byte[] {0, 0, 8, 3, 0, 0, 0, 5, 0, 0});
    IOException e = assertThrows(IOException.class, () -> IdxImages.open(file));
    assertEquals(file + ": truncated IDX header: it ends inside dimension 1 of 3", e.getMessage());
  }

  @Test
  void rejectsARangeOutsideTheFile() throws IOException {
    IdxImages images = IdxImages.open(imagesFile(false));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> images.read(3, 6));
    assertEquals("range [start, end) must satisfy 0 <= start <= end <= 5 for " + images.file()
        + ", but was [3, 6)", e.getMessage());
  }
}
