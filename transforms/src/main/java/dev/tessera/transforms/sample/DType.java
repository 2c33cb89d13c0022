package dev.tessera.transforms.sample;

/** The element type of a sample's pixel bytes. */
public enum DType {
  /** One unsigned byte per element, 0..255. */
  UINT8("uint8", 1),
  /** Four bytes per element: an IEEE 754 float32, little-endian. */
  FLOAT32("float32", 4);

  private final String id;
  private final int bytesPerElement;

  DType(String id, int bytesPerElement) {
    this.id = id;
    this.bytesPerElement = bytesPerElement;
  }

  /** The stable lower-case name stored in shards ({@code uint8}, {@code float32}). */
  public String id() {
    return id;
  }

  public int bytesPerElement() {
    return bytesPerElement;
  }

  /** The dtype with the given stable name; the error lists the valid names. */
  public static DType fromId(String id) {
    for (DType type : values()) {
      if (type.id.equals(id)) {
        return type;
      }
    }
    throw new IllegalArgumentException("dtype must be one of [uint8, float32], but was '" + id + "'");
  }
}
