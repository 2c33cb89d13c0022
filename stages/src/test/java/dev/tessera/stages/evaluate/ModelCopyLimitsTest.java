package dev.tessera.stages.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ModelCopyLimitsTest {

  @Test
  void readsSizesInBytesKibMibAndGib() {
    assertEquals(123, ModelCopyLimits.parseBytes("123"));
    assertEquals(2048, ModelCopyLimits.parseBytes("2k"));
    assertEquals(500L << 20, ModelCopyLimits.parseBytes("500M"));
    assertEquals(4L << 30, ModelCopyLimits.parseBytes(" 4g "));
  }

  @Test
  void rejectsASizeThatIsNotOne() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelCopyLimits.parseBytes("lots"));
    assertEquals("tessera.modelCopies.maxBytes must be a size in bytes, or with k, m or g for KiB, MiB or GiB, but "
        + "was 'lots'. Set it like -Dtessera.modelCopies.maxBytes=4g.", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ModelCopyLimits.parseBytes("99999999999g"));
    assertThrows(IllegalArgumentException.class, () -> ModelCopyLimits.parseBytes(""));
  }

  @Test
  void rejectsKeepingNoCopy() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ModelCopyLimits(0, 1));
    assertEquals("tessera.modelCopies.keep must be at least 1, but was 0 (the model copies each machine keeps; "
        + "the copy being evaluated is always kept). Set it to 1 or more.", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ModelCopyLimits(1, 0));
  }

  @Test
  void readsTheSystemPropertiesAndDefaultsToEightCopiesInFourGib() {
    assertEquals(new ModelCopyLimits(8, 4L << 30), ModelCopyLimits.DEFAULT);
    String copies = System.getProperty(ModelCopyLimits.COPIES_PROPERTY);
    String bytes = System.getProperty(ModelCopyLimits.BYTES_PROPERTY);
    try {
      System.setProperty(ModelCopyLimits.COPIES_PROPERTY, "3");
      System.clearProperty(ModelCopyLimits.BYTES_PROPERTY);
      assertEquals(new ModelCopyLimits(3, 4L << 30), ModelCopyLimits.fromSystemProperties());
      System.setProperty(ModelCopyLimits.BYTES_PROPERTY, "1g");
      assertEquals(new ModelCopyLimits(3, 1L << 30), ModelCopyLimits.fromSystemProperties());
      System.setProperty(ModelCopyLimits.COPIES_PROPERTY, "eight");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          ModelCopyLimits::fromSystemProperties);
      assertEquals("tessera.modelCopies.keep must be a whole number of model copies, at least 1, but was 'eight'. "
          + "Set it like -Dtessera.modelCopies.keep=8.", e.getMessage());
    } finally {
      restore(ModelCopyLimits.COPIES_PROPERTY, copies);
      restore(ModelCopyLimits.BYTES_PROPERTY, bytes);
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }
}
