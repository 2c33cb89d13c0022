package dev.tessera.stages.detection.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tessera.stages.detection.model.YoloConfig;
import dev.tessera.transforms.sample.Box;
import java.util.List;
import org.junit.jupiter.api.Test;

class YoloLossTest {
  private static final YoloConfig CONFIG = LabelAssignerTest.CONFIG;
  private static final int PER = CONFIG.outputsPerAnchor();

  @Test
  void predictionsThatHitEveryTargetExactlyHaveNearZeroBoxAndClassLoss() {
    List<Target> targets = LabelAssigner.assign(List.of(List.of(new Box(11, 5, 27, 21, 1))), 64, CONFIG, 4.0);
    try (NDManager manager = NDManager.newBaseManager()) {
      LossParts perfect = YoloLoss.compute(outputs(manager, targets, 0), targets, CONFIG, LossWeights.defaults());
      LossParts shifted = YoloLoss.compute(outputs(manager, targets, 0.1), targets, CONFIG, LossWeights.defaults());
      assertEquals(0, perfect.box().getFloat(), 1e-4);
      assertTrue(perfect.classes().getFloat() < 1e-3, "classes " + perfect.classes().getFloat());
      assertTrue(shifted.box().getFloat() > 0.002, "box " + shifted.box().getFloat());
      // Objectness: positives at logit 12 with CIoU 1, all others at -12: close to zero.
      assertTrue(perfect.objectness().getFloat() < 1e-3, "objectness " + perfect.objectness().getFloat());
      assertEquals(perfect.box().getFloat() + perfect.objectness().getFloat() + perfect.classes().getFloat(),
          perfect.total().getFloat(), 1e-5);
    }
  }

  @Test
  void objectnessPenalizesAConfidentPredictionWhereThereIsNoBox() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDList quiet = outputs(manager, List.of(), 0);
      NDList loud = outputs(manager, List.of(), 0);
      loud.get(0).set(new ai.djl.ndarray.index.NDIndex("0, 4, 3, 3"), 12f);
      float a = YoloLoss.compute(quiet, List.of(), CONFIG, LossWeights.defaults()).objectness().getFloat();
      float b = YoloLoss.compute(loud, List.of(), CONFIG, LossWeights.defaults()).objectness().getFloat();
      // One of 2 * 64 stride-8 predictions at BCE 12 instead of ~0, times the balance 4.
      assertEquals(4 * 12.0 / 128, b - a, 1e-3);
    }
  }

  /** Raw outputs whose decoded boxes equal the targets' (centre offset by {@code shift} cells), class right. */
  private static NDList outputs(NDManager manager, List<Target> targets, double shift) {
    NDList out = new NDList();
    for (int s = 0; s < 3; s++) {
      int grid = 64 / YoloConfig.STRIDES.get(s);
      float[] raw = new float[1 * 2 * PER * grid * grid];
      for (int a = 0; a < 2; a++) {
        for (int cell = 0; cell < grid * grid; cell++) {
          raw[(a * PER + 4) * grid * grid + cell] = -12;
          raw[(a * PER + 5) * grid * grid + cell] = -12;
          raw[(a * PER + 6) * grid * grid + cell] = -12;
        }
      }
      for (Target t : targets) {
        if (t.scale() != s) {
          continue;
        }
        int cell = t.cellY() * grid + t.cellX();
        int base = t.anchor() * PER * grid * grid;
        double anchorW = CONFIG.anchors().get(s).get(t.anchor()).width() / YoloConfig.STRIDES.get(s);
        double anchorH = CONFIG.anchors().get(s).get(t.anchor()).height() / YoloConfig.STRIDES.get(s);
        raw[base + cell] = logit((t.x() + shift + 0.5) / 2);
        raw[base + grid * grid + cell] = logit((t.y() + 0.5) / 2);
        raw[base + 2 * grid * grid + cell] = logit(Math.sqrt(t.width() / anchorW) / 2);
        raw[base + 3 * grid * grid + cell] = logit(Math.sqrt(t.height() / anchorH) / 2);
        raw[base + 4 * grid * grid + cell] = 12;
        raw[base + (5 + t.classId()) * grid * grid + cell] = 12;
      }
      out.add(manager.create(raw, new Shape(1, 2 * PER, grid, grid)));
    }
    return out;
  }

  private static float logit(double p) {
    return (float) Math.log(p / (1 - p));
  }
}
