package dev.tessera.transforms.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.transforms.sample.Box;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LetterboxTest {
  @Test
  void padsAWideImageTopAndBottomWithThePadValue() {
    // 1 row x 2 columns, size 3, stride 4 -> padded side 4; the image becomes 3x2 (round(1.5) = 2) at (0, 1).
    byte[] src = {50, (byte) 200};
    byte[] out = new byte[16];
    LetterboxGeometry g = Letterbox.apply(src, 1, 2, 1, new LetterboxSpec(3, 3, 114, Interpolation.NEAREST)
        .withStride(2), out);
    assertEquals(new LetterboxGeometry(2, 1, 3, 2, 0, 1, 4), g);
    int p = 114;
    assertArrayEquals(new int[] {p, p, p, p, 50, 50, 200, p, 50, 50, 200, p, p, p, p, p}, levels(out));
  }

  @Test
  void bccdSizeGoesTo416WithFiftyTwoRowsOfPaddingAbove() {
    LetterboxGeometry g = Letterbox.geometry(480, 640, new LetterboxSpec(416, 32, 114, Interpolation.BILINEAR));
    assertEquals(new LetterboxGeometry(640, 480, 416, 312, 0, 52, 416), g);
  }

  @ParameterizedTest(name = "{0}x{1} to {2} stride {3}")
  @CsvSource({"480, 640, 416, 32", "640, 427, 640, 32", "375, 500, 300, 64", "33, 97, 50, 7"})
  void unletterboxRecoversBoxesWithin1e3(int h, int w, int size, int stride) {
    LetterboxGeometry g = Letterbox.geometry(h, w, new LetterboxSpec(size, stride, 0, Interpolation.BILINEAR));
    SplittableRandom r = new SplittableRandom(h * 31L + w);
    List<Box> boxes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      float x1 = (float) (r.nextDouble() * w);
      float y1 = (float) (r.nextDouble() * h);
      boxes.add(new Box(x1, y1, (float) (x1 + r.nextDouble() * (w - x1)), (float) (y1 + r.nextDouble() * (h - y1)),
          i));
    }
    List<Box> back = g.unletterbox(g.letterbox(boxes));
    for (int i = 0; i < boxes.size(); i++) {
      Box a = boxes.get(i);
      Box b = back.get(i);
      assertEquals(a.x1(), b.x1(), 1e-3);
      assertEquals(a.y1(), b.y1(), 1e-3);
      assertEquals(a.x2(), b.x2(), 1e-3);
      assertEquals(a.y2(), b.y2(), 1e-3);
      assertEquals(a.classId(), b.classId());
    }
  }

  @Test
  void letterboxedBoxesLieOnTheImageNotThePadding() {
    LetterboxGeometry g = Letterbox.geometry(480, 640, new LetterboxSpec(416, 32, 114, Interpolation.BILINEAR));
    Box whole = g.letterbox(List.of(new Box(0, 0, 640, 480, 0))).get(0);
    assertEquals(new Box(0, 52, 416, 364, 0), whole);
  }

  @Test
  void rejectsAStrideLargerThanTheSize() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LetterboxSpec(32, 64, 114, Interpolation.BILINEAR));
    assertEquals("letterbox.stride must be in 1..32 (letterbox.size), but was 64.", e.getMessage());
  }

  private static int[] levels(byte[] b) {
    int[] out = new int[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[i] & 0xFF;
    }
    return out;
  }
}
