package dev.tessera.transforms.sample;

/** The order of a sample's pixel elements in memory. */
public enum Layout {
  /** Height, width, channels: interleaved ({@code RGBRGB...}), the layout images are decoded into. */
  HWC,
  /** Channels, height, width: planar, the layout convolution networks take. */
  CHW;

  /** The layout with the given name ({@code HWC} or {@code CHW}); the error lists the valid names. */
  public static Layout fromId(String id) {
    for (Layout layout : values()) {
      if (layout.name().equals(id)) {
        return layout;
      }
    }
    throw new IllegalArgumentException("layout must be one of [HWC, CHW], but was '" + id + "'");
  }
}
