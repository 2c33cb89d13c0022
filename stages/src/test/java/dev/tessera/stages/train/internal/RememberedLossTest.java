package dev.tessera.stages.train.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import org.junit.jupiter.api.Test;

/** The loss the training step computed is handed back to the metrics, and only for the arrays it was computed on. */
class RememberedLossTest {

  @Test
  void givesBackTheValueComputedForTheSameArrays() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Loss plain = Loss.softmaxCrossEntropyLoss();
      RememberedLoss loss = new RememberedLoss(plain);
      NDList labels = new NDList(manager.create(new long[] {0, 2}));
      NDList predictions = new NDList(manager.create(new float[] {2, 1, 0, 0, 1, 3}, new Shape(2, 3)));

      NDArray first = loss.evaluate(labels, predictions);
      NDArray again = loss.evaluate(labels, predictions);

      assertSame(first, again, "asked again for the same arrays: the remembered value, not a second evaluation");
      assertEquals(plain.evaluate(labels, predictions).getFloat(), first.getFloat(), 0f);
      assertEquals(plain.getName(), loss.getName());
    }
  }

  @Test
  void computesForOtherArraysAndAfterTheValueWasReleased() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Loss plain = Loss.softmaxCrossEntropyLoss();
      RememberedLoss loss = new RememberedLoss(plain);
      NDList labels = new NDList(manager.create(new long[] {1}));
      NDList predictions = new NDList(manager.create(new float[] {0, 4, 0}, new Shape(1, 3)));
      NDArray first = loss.evaluate(labels, predictions);

      NDList other = new NDList(manager.create(new float[] {4, 0, 0}, new Shape(1, 3)));
      NDArray second = loss.evaluate(labels, other);
      assertNotSame(first, second);
      assertEquals(plain.evaluate(labels, other).getFloat(), second.getFloat(), 0f);

      second.close();
      NDArray third = loss.evaluate(labels, other);
      assertNotSame(second, third, "a released value is never handed out");
      assertEquals(plain.evaluate(labels, other).getFloat(), third.getFloat(), 0f);
    }
  }
}
