package dev.tessera.stages.evaluate;

import java.util.Locale;

/**
 * How many model copies a machine keeps under {@code <java.io.tmpdir>/tessera-models/} ({@link ModelCopy}): after
 * a fetch, the least recently used copies beyond {@code copies} or {@code bytes} in all are removed, except those
 * a thread or process of that machine is using. Set on each machine (driver and workers) with the system
 * properties {@value #COPIES_PROPERTY} and {@value #BYTES_PROPERTY}, such as
 * {@code -Dtessera.modelCopies.keep=4 -Dtessera.modelCopies.maxBytes=2g}.
 *
 * @param copies the most copies kept, at least 1 (the copy being evaluated is always kept)
 * @param bytes the most bytes the copies take together, at least 1
 */
public record ModelCopyLimits(int copies, long bytes) {
  /** The system property that sets {@link #copies}. */
  public static final String COPIES_PROPERTY = "tessera.modelCopies.keep";
  /** The system property that sets {@link #bytes}: a number of bytes, or of KiB, MiB, GiB with k, m or g. */
  public static final String BYTES_PROPERTY = "tessera.modelCopies.maxBytes";
  /** The newest 8 copies, at most 4 GiB together. */
  public static final ModelCopyLimits DEFAULT = new ModelCopyLimits(8, 4L << 30);

  public ModelCopyLimits {
    if (copies < 1) {
      throw new IllegalArgumentException(COPIES_PROPERTY + " must be at least 1, but was " + copies
          + " (the model copies each machine keeps; the copy being evaluated is always kept). Set it to 1 or more.");
    }
    if (bytes < 1) {
      throw new IllegalArgumentException(BYTES_PROPERTY + " must be at least 1 byte, but was " + bytes
          + " (what the model copies of a machine may take together). Set it to a size such as 4g.");
    }
  }

  /** The limits the system properties set, each defaulting to {@link #DEFAULT}'s. */
  public static ModelCopyLimits fromSystemProperties() {
    String copies = System.getProperty(COPIES_PROPERTY);
    String bytes = System.getProperty(BYTES_PROPERTY);
    return new ModelCopyLimits(copies == null ? DEFAULT.copies() : parseCopies(copies),
        bytes == null ? DEFAULT.bytes() : parseBytes(bytes));
  }

  static int parseCopies(String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(COPIES_PROPERTY + " must be a whole number of model copies, at least 1, "
          + "but was '" + text + "'. Set it like -D" + COPIES_PROPERTY + "=" + DEFAULT.copies() + ".", e);
    }
  }

  /** A size: digits, optionally followed by k, m or g (KiB, MiB, GiB), such as {@code 4g} or {@code 500m}. */
  static long parseBytes(String text) {
    String size = text.trim().toLowerCase(Locale.ROOT);
    int shift = switch (size.isEmpty() ? ' ' : size.charAt(size.length() - 1)) {
      case 'k' -> 10;
      case 'm' -> 20;
      case 'g' -> 30;
      default -> 0;
    };
    String digits = shift == 0 ? size : size.substring(0, size.length() - 1);
    try {
      long value = Long.parseLong(digits);
      if (value > Long.MAX_VALUE >> shift) {
        throw new NumberFormatException("too large");
      }
      return value << shift;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(BYTES_PROPERTY + " must be a size in bytes, or with k, m or g for KiB, "
          + "MiB or GiB, but was '" + text + "'. Set it like -D" + BYTES_PROPERTY + "=4g.", e);
    }
  }
}
