package dev.tessera.transforms.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CropTest {
  @Test
  void copiesTheWindow() {
    byte[] src = new byte[4 * 5]; // 4 rows x 5 columns, value 10y + x
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 5; x++) {
        src[y * 5 + x] = (byte) (10 * y + x);
      }
    }
    byte[] out = new byte[2 * 3];
    Crop.apply(src, 4, 5, 1, 1, 2, 3, 2, out);
    assertArrayEquals(new byte[] {21, 22, 23, 31, 32, 33}, out);
  }

  @Test
  void rejectsAWindowOutsideTheImage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Crop.apply(new byte[20], 4, 5, 1, 3, 0, 3, 2, new byte[6]));
    assertEquals("crop window [3, 6) x [0, 2) must be non-empty and inside the 5x4 image.", e.getMessage());
  }
}
