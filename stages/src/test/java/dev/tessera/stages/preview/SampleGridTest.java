package dev.tessera.stages.preview;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.transforms.image.NormalizeSample;
import dev.tessera.transforms.image.NormalizeSpec;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleGridTest {
  private static final NormalizeSpec IMAGENET =
      new NormalizeSpec(new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225});

  @TempDir Path dir;

  @Test
  void denormalizesFloatChwBackToItsU8Levels() {
    byte[] hwc = {(byte) 200, 40, 40, 30, (byte) 150, (byte) 220};
    Sample u8 = Sample.ofUint8("t/train/0", hwc, 1, 2, 3, Layout.HWC, null, "test", "train");
    Sample normalized = new NormalizeSample(IMAGENET).apply(u8);
    BufferedImage image = SampleGrid.toImage(normalized, IMAGENET);
    assertEquals((200 << 16) | (40 << 8) | 40, image.getRGB(0, 0) & 0xFFFFFF);
    assertEquals((30 << 16) | (150 << 8) | 220, image.getRGB(1, 0) & 0xFFFFFF);
  }

  @Test
  void normalizationFileRoundTrips() throws Exception {
    Normalization.write(dir, IMAGENET);
    assertEquals(IMAGENET, Normalization.read(dir).orElseThrow());
    assertEquals(java.util.Optional.empty(), Normalization.read(dir.resolve("missing")));
  }
}
