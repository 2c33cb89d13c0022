package dev.tessera.transforms.augment;

import dev.tessera.transforms.image.Interpolation;
import dev.tessera.transforms.image.MosaicKernel;
import dev.tessera.transforms.image.MosaicLayout;
import dev.tessera.transforms.image.MosaicSpec;
import dev.tessera.transforms.sample.Box;
import dev.tessera.transforms.sample.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mosaic of four uint8 HWC samples ({@link MosaicSpec}) into one {@code size x size} uint8 HWC sample with the
 * anchor's id. Two draws: centre x, then centre y. Boxes follow {@link MosaicLayout#boxes}; the mask is
 * composed too when all four members have one (padding 0, resized with {@link Interpolation#forMasks()} of the
 * tiles' interpolation), else dropped.
 */
public final class MosaicSample implements GroupFunction {
  private static final long serialVersionUID = 1L;
  private final MosaicSpec spec;

  public MosaicSample(MosaicSpec spec) {
    this.spec = spec;
  }

  public MosaicSpec spec() {
    return spec;
  }

  @Override
  public int arity() {
    return 4;
  }

  @Override
  public String stream() {
    return "mosaic";
  }

  @Override
  public Sample apply(List<Sample> members, SplittableRandom random) {
    if (members.size() != 4) {
      throw new IllegalArgumentException("mosaic needs 4 samples, but got " + members.size() + ".");
    }
    int c = members.get(0).channels();
    int[] hs = new int[4];
    int[] ws = new int[4];
    byte[][] px = new byte[4][];
    boolean masks = true;
    for (int i = 0; i < 4; i++) {
      Sample m = members.get(i);
      Checks.requireU8Hwc(m, "mosaic");
      if (m.channels() != c) {
        throw new IllegalArgumentException("mosaic members must have the same channel count, but '"
            + members.get(0).id() + "' has " + c + " and '" + m.id() + "' has " + m.channels() + ".");
      }
      hs[i] = m.height();
      ws[i] = m.width();
      px[i] = m.pixels();
      masks &= m.mask() != null;
    }
    MosaicLayout layout = layout(spec, hs, ws, random);
    int size = spec.size();
    byte[] canvas = new byte[size * size * c];
    MosaicKernel.render(px, c, layout, spec.padValue(), spec.interpolation(), canvas);
    byte[] mask = null;
    if (masks) {
      byte[][] ms = new byte[4][];
      for (int i = 0; i < 4; i++) {
        ms[i] = members.get(i).mask();
      }
      mask = new byte[size * size];
      // Nearest on the tiles' own grid (nearest-exact beside bilinear tiles), so mask edges stay on image edges.
      MosaicKernel.render(ms, 1, layout, 0, spec.interpolation().forMasks(), mask);
    }
    List<Box> boxes = null;
    for (int i = 0; i < 4; i++) {
      List<Box> b = layout.boxes(i, members.get(i).boxes(), spec.minBoxArea(), spec.minVisible());
      if (b != null) {
        boxes = boxes == null ? new ArrayList<>() : boxes;
        boxes.addAll(b);
      }
    }
    Sample anchor = members.get(0);
    return new Sample(anchor.id(), canvas, size, size, c, anchor.dtype(), anchor.layout(), null, anchor.label(),
        boxes, mask, anchor.source(), anchor.split());
  }

  /** The layout for images of these sizes with the centre drawn from {@code random} (x first, then y). */
  public static MosaicLayout layout(MosaicSpec spec, int[] heights, int[] widths, SplittableRandom random) {
    int size = spec.size();
    int cx = (int) Math.floor(Randomness.uniform(random, spec.centerMin(), spec.centerMax()) * size);
    int cy = (int) Math.floor(Randomness.uniform(random, spec.centerMin(), spec.centerMax()) * size);
    return MosaicLayout.of(size, spec.tileSide(), Math.min(cx, size), Math.min(cy, size), heights, widths);
  }
}
