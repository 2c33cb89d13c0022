package dev.tessera.transforms.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.tessera.transforms.image.FlipAxis;
import dev.tessera.transforms.image.FlipSpec;
import dev.tessera.transforms.sample.Box;
import dev.tessera.transforms.sample.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlipSampleTest {
  @Test
  void flippingTwiceIsTheIdentityIncludingBoxesAndMask() {
    for (Sample s : Fixtures.real()) {
      for (FlipAxis axis : FlipAxis.values()) {
        Sample once = FlipSample.flip(s, axis);
        assertNotEquals(s, once, s.id() + " " + axis);
        assertEquals(s, FlipSample.flip(once, axis), s.id() + " " + axis);
      }
    }
  }

  @Test
  void horizontalFlipMirrorsBoxesAboutTheImageWidth() {
    Sample s = Fixtures.solid("a", 10, 100, 1, 2, 3, 0, List.of(new Box(10, 2, 30, 8, 4)));
    assertEquals(List.of(new Box(70, 2, 90, 8, 4)), FlipSample.flip(s, FlipAxis.HORIZONTAL).boxes());
  }

  @Test
  void probabilityZeroNeverFlipsAndOneAlwaysFlips() {
    Sample s = Fixtures.real().get(0);
    assertEquals(s, new FlipSample(FlipSpec.vertical(0)).seeded(1, 0).apply(s));
    assertEquals(FlipSample.flip(s, FlipAxis.VERTICAL), new FlipSample(FlipSpec.vertical(1)).seeded(1, 0).apply(s));
  }
}
