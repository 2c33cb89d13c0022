package dev.tessera.stages.detection.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.tessera.stages.detection.boxes.OverlapMeasure;
import dev.tessera.stages.detection.model.AnchorBox;
import dev.tessera.stages.detection.model.YoloConfig;
import java.util.List;
import java.util.TreeMap;

/**
 * YOLOv5's loss for a {@code YoloNet}'s raw outputs and a batch's {@link LabelAssigner} targets.
 *
 * <ul>
 *   <li><b>Box:</b> mean {@code 1 - CIoU} over the positives, boxes in cells relative to the cell corner
 *       (centre {@code 2 sigmoid - 0.5}, size {@code (2 sigmoid)^2 * anchor / stride}).
 *   <li><b>Objectness:</b> BCE with logits over every prediction of a scale; the target is 0, except at
 *       positives, where it is the positive's CIoU clamped to {@code [0, 1]} (no gradient through the target), so
 *       the score learns to rank by localization quality. Scales weighted 4, 1, 0.4, finest first.
 *   <li><b>Classes:</b> BCE with logits over the positives against one-hot targets (independent sigmoids, so a
 *       box can score in several classes).
 * </ul>
 *
 * <p>Each part is a mean and multiplied by its {@link LossWeights} gain. The objectness sum avoids a scatter:
 * {@code BCE(x, t) = softplus(x) - x t}, so it is the softplus over all predictions minus {@code x t} over the
 * positives.
 */
public final class YoloLoss {
  private YoloLoss() {}

  /**
   * The loss of one batch.
   *
   * @param outputs the network's three outputs, finest first, {@code (N, A * (5 + C), H, W)}
   * @param targets the batch's positives
   * @param config anchors and classes
   * @param weights the gains
   */
  public static LossParts compute(NDList outputs, List<Target> targets, YoloConfig config, LossWeights weights) {
    NDManager manager = outputs.get(0).getManager();
    int anchors = config.anchorsPerScale();
    int per = config.outputsPerAnchor();
    int classes = config.classes();
    NDArray box = manager.zeros(new Shape());
    NDArray objectness = manager.zeros(new Shape());
    NDArray cls = manager.zeros(new Shape());
    for (int s = 0; s < outputs.size(); s++) {
      NDArray raw = outputs.get(s);
      Shape shape = raw.getShape();
      int n = (int) shape.get(0);
      int rows = (int) shape.get(2);
      int columns = (int) shape.get(3);
      NDArray flat = raw.reshape(n, anchors, per, rows, columns).transpose(0, 1, 3, 4, 2).reshape(-1, per);
      long count = flat.getShape().get(0);
      NDArray objectLogits = flat.get(":, 4");
      NDArray softplusSum = Activation.softPlus(objectLogits).sum();
      // One target per prediction, in flat order: a boolean index returns the selected rows in that order too.
      TreeMap<Long, Target> chosen = new TreeMap<>();
      for (Target t : targets) {
        if (t.scale() == s) {
          chosen.put(t.flatIndex(anchors, rows, columns), t);
        }
      }
      NDArray scaleObjectness;
      if (chosen.isEmpty()) {
        scaleObjectness = softplusSum.div((float) count);
      } else {
        boolean[] mask = new boolean[(int) count];
        int m = chosen.size();
        float[] truth = new float[m * 4];
        float[] anchorCells = new float[m * 2];
        float[] oneHot = new float[m * classes];
        int stride = YoloConfig.STRIDES.get(s);
        int i = 0;
        for (var entry : chosen.entrySet()) {
          Target t = entry.getValue();
          mask[(int) (long) entry.getKey()] = true;
          truth[i * 4] = (float) (t.x() - t.width() / 2);
          truth[i * 4 + 1] = (float) (t.y() - t.height() / 2);
          truth[i * 4 + 2] = (float) (t.x() + t.width() / 2);
          truth[i * 4 + 3] = (float) (t.y() + t.height() / 2);
          AnchorBox anchor = config.anchors().get(s).get(t.anchor());
          anchorCells[i * 2] = (float) (anchor.width() / stride);
          anchorCells[i * 2 + 1] = (float) (anchor.height() / stride);
          oneHot[i * classes + t.classId()] = 1;
          i++;
        }
        NDArray positives = flat.get(new NDIndex("{}", manager.create(mask)));
        NDArray xy = Activation.sigmoid(positives.get(":, 0:2")).mul(2f).sub(0.5f);
        NDArray wh = Activation.sigmoid(positives.get(":, 2:4")).mul(2f).square()
            .mul(manager.create(anchorCells, new Shape(m, 2)));
        NDArray predicted = NDArrays.concat(new NDList(xy.sub(wh.div(2f)), xy.add(wh.div(2f))), 1);
        NDArray ciou = OverlapMeasure.CIOU.of(predicted, manager.create(truth, new Shape(m, 4)));
        box = box.add(ciou.neg().add(1f).mean());
        NDArray iouTarget = ciou.stopGradient().clip(0f, 1f);
        NDArray positiveTerm = positives.get(":, 4").mul(iouTarget).sum();
        scaleObjectness = softplusSum.sub(positiveTerm).div((float) count);
        NDArray classLogits = positives.get(":, 5:");
        NDArray classTargets = manager.create(oneHot, new Shape(m, classes));
        cls = cls.add(Activation.softPlus(classLogits).sub(classLogits.mul(classTargets)).mean());
      }
      objectness = objectness.add(scaleObjectness.mul((float) LossWeights.BALANCE[s]));
    }
    box = box.mul((float) weights.box());
    objectness = objectness.mul((float) weights.objectness());
    cls = cls.mul((float) weights.classes());
    return new LossParts(box.add(objectness).add(cls), box, objectness, cls);
  }
}
