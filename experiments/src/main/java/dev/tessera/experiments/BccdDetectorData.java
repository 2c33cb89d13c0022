package dev.tessera.experiments;

import static dev.tessera.pipelines.dag.Experiment.after;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.dag.ExperimentDefinition;
import dev.tessera.stages.augment.DetectionAugment;
import dev.tessera.stages.ingest.Ingest;

/**
 * The data path of a BCCD blood-cell detector: the catalog's BCCD (Pascal VOC, official train/val/test split) as
 * Arrow shards with boxes, then, on Beam, a seeded mosaic of the training split (416-pixel canvas, each image at
 * the scale the letterbox gives it, so training and test objects have the same sizes; seed 42, epoch 0), a
 * letterbox of every image to 416x416 (stride 32, padding 114) and ImageNet normalization to float CHW; boxes
 * follow every step. The validation and test splits are only letterboxed and normalized. The two zero-area boxes
 * of BCCD go to the ingest artifact's {@code dead_letter.jsonl}. Each stage logs a {@code preview.png} grid with
 * the boxes drawn; {@code tessera preview bccd-detector-data augment} renders it again on demand.
 *
 * <pre>{@code
 * tessera run bccd-detector-data --set ingest.limit=40
 * tessera preview bccd-detector-data augment
 * }</pre>
 */
public final class BccdDetectorData implements ExperimentDefinition {
  public static final String NAME = "bccd-detector-data";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "BCCD detection data: ingest (VOC, dead-letter for bad boxes) -> mosaic (train) + letterbox 416 "
        + "+ normalize (Beam)";
  }

  /** BCCD from the catalog in shards of 32; shared with bccd-yolo, so the two share its cache. */
  static Ingest ingest() {
    return Ingest.dataset("bccd").samplesPerShard(32);
  }

  /** Mosaic of the training split and letterbox to 416 (Beam). */
  static DetectionAugment augment() {
    return DetectionAugment.letterbox(416);
  }

  @Override
  public Experiment define() {
    return Experiment.named(NAME)
        .description(description())
        .seed(42)
        .stage("ingest", ingest())
        .stage("augment", augment(), after("ingest"))
        .build();
  }
}
