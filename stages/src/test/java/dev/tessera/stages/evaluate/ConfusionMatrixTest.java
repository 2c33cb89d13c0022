package dev.tessera.stages.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {
  private static final ConfusionMatrix A = ConfusionMatrix.of(new long[][] {{5, 1, 0}, {2, 3, 1}, {0, 0, 4}});
  private static final ConfusionMatrix B = ConfusionMatrix.of(new long[][] {{1, 0, 0}, {0, 0, 7}, {2, 0, 0}});
  private static final ConfusionMatrix C = ConfusionMatrix.of(3, new int[] {0, 1, 2, 2}, new int[] {0, 2, 2, 1});

  @Test
  void countsPairsByActualRowAndPredictedColumn() {
    assertEquals(1, C.count(0, 0));
    assertEquals(1, C.count(1, 2));
    assertEquals(1, C.count(2, 1));
    assertEquals(4, C.total());
    assertEquals(2, C.correct());
    assertEquals(6, A.support(1));
    assertEquals(7, A.predictedCount(0));
  }

  @Test
  void mergeIsAssociativeCommutativeAndLeavesItsInputsAlone() {
    assertEquals(A.merge(B).merge(C), A.merge(B.merge(C)));
    assertEquals(A.merge(B), B.merge(A));
    assertEquals(A, A.merge(new ConfusionMatrix(3)));
    assertArrayEquals(new long[] {5, 1, 0}, A.counts()[0]);
    assertArrayEquals(new long[] {6, 1, 0}, A.merge(B).counts()[0]);
  }

  @Test
  void survivesJavaSerializationForBeamCoders() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(A);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(A, in.readObject());
    }
  }

  @Test
  void rejectsClassesOutOfRangeAndMismatchedMerges() {
    ConfusionMatrix m = new ConfusionMatrix(3);
    assertEquals(
        "confusion.predicted class must be in [0, 3), but was 3",
        assertThrows(IllegalArgumentException.class, () -> m.add(0, 3)).getMessage());
    assertEquals(
        "Cannot merge confusion matrices of 3 and 2 classes",
        assertThrows(IllegalArgumentException.class, () -> m.merge(new ConfusionMatrix(2))).getMessage());
    assertEquals(
        "confusion counts must be >= 0, but counts[0][1] was -1",
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new long[][] {{0, -1}, {0, 0}}))
            .getMessage());
  }
}
