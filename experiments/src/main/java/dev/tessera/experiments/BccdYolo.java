package dev.tessera.experiments;

import static dev.tessera.pipelines.dag.Experiment.after;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.dag.ExperimentDefinition;
import dev.tessera.stages.augment.DetectionAugment;
import dev.tessera.stages.detection.evaluate.EvaluateDetection;
import dev.tessera.stages.detection.train.TrainDetector;
import dev.tessera.stages.detection.train.TrainDetectorSpec;

/**
 * A BCCD blood-cell detector trained from scratch on the CPU: the catalog's BCCD (Pascal VOC, official
 * train/val/test split of 205/87/72 images) as Arrow shards, then on Beam a letterbox of every image to 320x320,
 * then a tiny YOLO-style detector (width 0.25, depth 0.33, k-means anchors, YOLOv5 assignment and loss, AdamW with
 * warmup, cosine decay and EMA) trained for 30 minutes on a new full-scale mosaic, flip and brightness draw of each
 * training image every epoch, then COCO and VOC evaluation on the original test images, boxes mapped back through
 * the letterbox. Training objects are as large as test objects: the mosaic keeps the letterbox scale.
 *
 * <pre>{@code
 * tessera run bccd-yolo
 * tessera run bccd-yolo --set train-detector.timeBudgetMinutes=5
 * tessera run bccd-yolo --set train-detector.timeBudgetMinutes=0 --set train-detector.epochs=3   # reproducible
 * }</pre>
 */
public final class BccdYolo implements ExperimentDefinition {
  public static final String NAME = "bccd-yolo";
  /** The letterbox side: BCCD's 640x480 images at half scale (platelets stay about 16 pixels wide). */
  static final int SIZE = 320;

  /**
   * The detector recipe: a YOLOv5-n-like net (width 0.25, depth 0.33) for at most 60 epochs within a 30-minute
   * training budget, batches of 8 (twice the updates of 16 for the same CPU time, which counts when a loaded
   * machine allows only a few epochs), AdamW at 0.002 with 1 warmup epoch and a cosine decay, EMA, and each epoch
   * a new full-scale mosaic, flips and brightness draw per image, mosaic closed for the last 4 epochs.
   */
  static TrainDetectorSpec recipe() {
    return TrainDetectorSpec.defaults(SIZE).withEpochs(60).withBatchSize(8).withLearningRate(0.002)
        .withWarmupEpochs(1).withSize(0.25, 0.33).withEma(true).withAugment(1.0, 4, true, 0.3).withTimeBudget(30);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "BCCD detector: ingest -> letterbox 320 (Beam) -> tiny YOLO with per-epoch mosaic (DJL, CPU, 30 min)"
        + " -> COCO/VOC mAP on the test split";
  }

  @Override
  public Experiment define() {
    return Experiment.named(NAME)
        .description(description())
        .seed(42)
        .stage("ingest", BccdDetectorData.ingest())
        .stage("augment", DetectionAugment.letterbox(SIZE).withoutMosaic(), after("ingest"))
        .stage("train-detector", new TrainDetector(recipe()), after("augment"))
        .stage("evaluate-detection", EvaluateDetection.onTest(), after("train-detector", "ingest"))
        .build();
  }
}
