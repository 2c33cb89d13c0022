package dev.tessera.transforms.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FlipTest {
  // 2 rows x 3 columns, 2 channels: pixel (x, y) = (10y + x, 100 + 10y + x).
  private static final byte[] IMAGE = {0, 100, 1, 101, 2, 102, 10, 110, 11, 111, 12, 112};

  @Test
  void horizontalMirrorsColumnsKeepingChannelOrder() {
    byte[] out = new byte[12];
    Flip.apply(IMAGE, 2, 3, 2, FlipAxis.HORIZONTAL, out);
    assertArrayEquals(new byte[] {2, 102, 1, 101, 0, 100, 12, 112, 11, 111, 10, 110}, out);
  }

  @Test
  void verticalMirrorsRows() {
    byte[] out = new byte[12];
    Flip.apply(IMAGE, 2, 3, 2, FlipAxis.VERTICAL, out);
    assertArrayEquals(new byte[] {10, 110, 11, 111, 12, 112, 0, 100, 1, 101, 2, 102}, out);
  }

  @Test
  void rejectsFlippingInPlace() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Flip.apply(IMAGE, 2, 3, 2, FlipAxis.VERTICAL, IMAGE));
    assertEquals("flip destination must be another array of 12 bytes, but was the source itself.", e.getMessage());
  }

  @Test
  void rejectsAProbabilityOutsideZeroToOne() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FlipSpec.horizontal(1.5));
    assertEquals("flip.probability must be in [0, 1], but was 1.5.", e.getMessage());
  }
}
