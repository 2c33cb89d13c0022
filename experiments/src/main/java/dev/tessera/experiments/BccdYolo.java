package dev.tessera.experiments;

import static dev.tessera.pipelines.dag.Experiment.after;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.dag.ExperimentDefinition;
import dev.tessera.stages.detection.evaluate.EvaluateDetection;
import dev.tessera.stages.detection.train.TrainDetector;

/**
 * A BCCD blood-cell detector trained from scratch on the CPU: the catalog's BCCD (Pascal VOC, official
 * train/val/test split of 205/87/72 images) as Arrow shards, then on Beam a seeded mosaic of the training split
 * and a letterbox of every image to 416x416 (the test split is only letterboxed), then a tiny YOLO-style detector
 * (width 0.25, depth 0.33, k-means anchors, YOLOv5 assignment and loss, AdamW with warmup, cosine decay and EMA),
 * then COCO and VOC evaluation on the original test images, boxes mapped back through the letterbox.
 *
 * <pre>{@code
 * tessera run bccd-yolo
 * tessera run bccd-yolo --set train-detector.epochs=3 --set train-detector.width=0.125
 * }</pre>
 */
public final class BccdYolo implements ExperimentDefinition {
  public static final String NAME = "bccd-yolo";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "BCCD detector: ingest -> mosaic (train) + letterbox 416 (Beam) -> tiny YOLO (DJL, CPU) -> COCO/VOC "
        + "mAP on the test split";
  }

  @Override
  public Experiment define() {
    return Experiment.named(NAME)
        .description(description())
        .seed(42)
        .stage("ingest", BccdDetectorData.ingest())
        .stage("augment", BccdDetectorData.augment(), after("ingest"))
        .stage("train-detector", TrainDetector.of(416), after("augment"))
        .stage("evaluate-detection", EvaluateDetection.onTest(), after("train-detector", "ingest"))
        .build();
  }
}
