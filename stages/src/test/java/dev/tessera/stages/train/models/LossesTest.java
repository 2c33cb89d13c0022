package dev.tessera.stages.train.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import dev.tessera.stages.train.LossFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The built-in losses against values worked out by hand on tiny batches. */
class LossesTest {
  private static final float LN3 = (float) Math.log(3);
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private float loss(String name, float[][] logits, long... labels) {
    Loss loss = LossFactory.registry().get(name).newLoss();
    float[] flat = new float[logits.length * logits[0].length];
    for (int i = 0; i < logits.length; i++) {
      System.arraycopy(logits[i], 0, flat, i * logits[0].length, logits[0].length);
    }
    NDList predictions = new NDList(manager.create(flat, new Shape(logits.length, logits[0].length)));
    return loss.evaluate(new NDList(manager.create(labels)), predictions).getFloat();
  }

  @Test
  void smoothedCrossEntropySpreadsATenthOverTheClasses() {
    // logits [ln 3, 0] -> softmax [0.75, 0.25]; label 0 with epsilon 0.1 over K = 2 -> target [0.95, 0.05].
    // loss = -(0.95 ln 0.75 + 0.05 ln 0.25) = 0.95 * 0.287682 + 0.05 * 1.386294 = 0.273298 + 0.069315 = 0.342613
    assertEquals(0.342613f, loss("cross-entropy-smooth-0.1", new float[][] {{LN3, 0}}, 0), 1e-5f);
    // Plain cross-entropy of the same sample is -ln 0.75 = 0.287682: smoothing costs the confident prediction.
    assertEquals(0.287682f, loss("cross-entropy", new float[][] {{LN3, 0}}, 0), 1e-5f);
  }

  @Test
  void smoothedCrossEntropyAveragesOverTheBatch() {
    // Sample 2: logits [0, 0] -> softmax [0.5, 0.5]; any target gives -ln 0.5 = 0.693147.
    // Mean of 0.342613 and 0.693147 = 0.517880.
    assertEquals(0.517880f, loss("cross-entropy-smooth-0.1", new float[][] {{LN3, 0}, {0, 0}}, 0, 1), 1e-5f);
  }

  @Test
  void binaryCrossEntropyAveragesOverSamplesAndClasses() {
    // logits [0, ln 3], label 0 -> targets [1, 0]. sigmoid(0) = 0.5: -ln 0.5 = 0.693147.
    // sigmoid(ln 3) = 0.75 with target 0: -ln(1 - 0.75) = ln 4 = 1.386294. Mean of 2 entries: 1.039721.
    assertEquals(1.039721f, loss("binary-cross-entropy", new float[][] {{0, LN3}}, 0), 1e-5f);
  }

  @Test
  void bceDiceSumsBothOverThePixelsOfAMask() {
    // One image of 1x2 pixels, K = 2: logits (1, 2, 1, 2) = class 0 [0, 0], class 1 [0, ln 3]; mask [0, 1].
    // Pixel A: logits [0, 0], targets [1, 0]: BCE ln 2 + ln 2. Pixel B: logits [0, ln 3], targets [0, 1]:
    // ln(1 + e^0) = ln 2 and ln(1 + e^-ln 3) = ln 4/3. BCE mean of 4 entries = (5 ln 2 - ln 3) / 4 = 0.591781.
    // Softmax A [0.5, 0.5], B [0.25, 0.75]. Dice class 0: (2 * 0.5 + 1) / (0.75 + 1 + 1) = 8/11;
    // class 1: (2 * 0.75 + 1) / (1.25 + 1 + 1) = 10/13; loss 1 - (8/11 + 10/13) / 2 = 0.251748. Sum 0.843529.
    Loss loss = LossFactory.registry().get("bce-dice").newLoss();
    NDList logits = new NDList(manager.create(new float[] {0, 0, 0, LN3}, new Shape(1, 2, 1, 2)));
    NDList mask = new NDList(manager.create(new long[] {0, 1}, new Shape(1, 1, 2)));
    assertEquals(0.843529f, loss.evaluate(mask, logits).getFloat(), 1e-5f);
    // The same two pixels as two rows of (N, K) logits give the same sum: per pixel is per row.
    assertEquals(0.843529f, loss("bce-dice", new float[][] {{0, 0}, {0, LN3}}, 0, 1), 1e-5f);
    // bce-dice = binary-cross-entropy + dice, each as registered.
    assertEquals(loss("binary-cross-entropy", new float[][] {{0, 0}, {0, LN3}}, 0, 1)
        + loss("dice", new float[][] {{0, 0}, {0, LN3}}, 0, 1), 0.843529f, 1e-5f);
  }

  @Test
  void perPixelLossNeedsOneLabelPerPixel() {
    Loss loss = LossFactory.registry().get("bce-dice").newLoss();
    NDList logits = new NDList(manager.create(new float[] {0, 0, 0, LN3}, new Shape(1, 2, 1, 2)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> loss.evaluate(new NDList(manager.create(new long[] {1})), logits));
    assertTrue(e.getMessage().startsWith("the loss got 1 labels for 2 rows of logits (shape (1, 2, 1, 2))"),
        e.getMessage());
  }

  @Test
  void binaryCrossEntropyStaysFiniteForHugeLogits() {
    // logit 200 for the wrong class: -ln(1 - sigmoid(200)) = 200 (to float precision); logit -200 for the true
    // class with target 1 likewise 200. A naive log(sigmoid) would give infinity. Mean of [200, 200] = 200.
    assertEquals(200f, loss("binary-cross-entropy", new float[][] {{-200, 200}}, 0), 1e-3f);
  }

  @Test
  void focalLossDownWeightsEasyEntries() {
    // logits [0, ln 3], label 0 -> targets [1, 0]; alpha 0.25, gamma 2.
    // Entry 1: p = 0.5, p_t = 0.5, alpha_t = 0.25, (1 - p_t)^2 = 0.25, BCE = ln 2 = 0.693147 -> 0.043322.
    // Entry 2: p = 0.75, target 0 so p_t = 0.25, alpha_t = 0.75, (1 - 0.25)^2 = 0.5625, BCE = ln 4 = 1.386294
    //   -> 0.75 * 0.5625 * 1.386294 = 0.584843. Sum over classes 0.628165, divided by N = 1.
    assertEquals(0.628165f, loss("focal", new float[][] {{0, LN3}}, 0), 1e-5f);
  }

  @Test
  void focalLossDividesByTheNumberOfSamples() {
    // The same sample twice: the sum doubles, N doubles: still 0.628165.
    assertEquals(0.628165f, loss("focal", new float[][] {{0, LN3}, {0, LN3}}, 0, 0), 1e-5f);
  }

  @Test
  void diceLossAveragesTheClassesDiceOverTheBatch() {
    // Sample 1: logits [ln 3, 0] -> p = [0.75, 0.25], label 0. Sample 2: logits [0, 0] -> p = [0.5, 0.5], label 1.
    // Class 0: sum p t = 0.75, sum p = 1.25, sum t = 1 -> D0 = (2 * 0.75 + 1) / (1.25 + 1 + 1) = 2.5 / 3.25
    //   = 0.769231. Class 1: sum p t = 0.5, sum p = 0.75, sum t = 1 -> D1 = (1 + 1) / (0.75 + 1 + 1) = 0.727273.
    // Loss = 1 - (0.769231 + 0.727273) / 2 = 0.251748.
    assertEquals(0.251748f, loss("dice", new float[][] {{LN3, 0}, {0, 0}}, 0, 1), 1e-5f);
  }

  @Test
  void diceLossIsNearZeroForConfidentCorrectPredictions() {
    // p ~ one-hot equal to t: each D_c = (2 * 1 + 1) / (1 + 1 + 1) = 1, loss 0 (to ~e^-20).
    assertEquals(0f, loss("dice", new float[][] {{20, 0}, {0, 20}}, 0, 1), 1e-5f);
  }

  @Test
  void lossesRejectLogitsThatAreNotOneRowPerSample() {
    Loss loss = LossFactory.registry().get("focal").newLoss();
    NDList predictions = new NDList(manager.zeros(new Shape(2, 3, 4)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> loss.evaluate(new NDList(manager.create(new long[] {0, 1})), predictions));
    assertEquals("the loss needs (N, classes) or per-pixel (N, classes, H, W) logits, but the model gave shape "
        + "(2, 3, 4)", e.getMessage());
  }

  @Test
  void everyLossIsRegisteredUnderItsName() {
    assertTrue(LossFactory.registry().names().containsAll(java.util.List.of(
        CrossEntropy.NAME, SmoothedCrossEntropy.NAME, BinaryCrossEntropy.NAME, FocalLoss.NAME, DiceLoss.NAME)));
  }

  @Test
  void smoothingOutsideItsRangeIsRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SmoothedCrossEntropy.loss("ls", 1f));
    assertEquals("label smoothing epsilon must be in [0, 1), but was 1.0", e.getMessage());
  }
}
