package dev.tessera.experiments;

import static dev.tessera.pipelines.dag.Experiment.after;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.dag.ExperimentDefinition;
import dev.tessera.stages.ingest.Ingest;
import dev.tessera.stages.preprocess.Preprocess;
import dev.tessera.stages.preprocess.PreprocessSpec;
import dev.tessera.transforms.image.Interpolation;
import java.util.List;

/**
 * The data path of a BCCD blood-cell detector: the catalog's BCCD (Pascal VOC, official train/val/test split) as
 * Arrow shards with boxes, then resized to 416x416 (boxes scaled along) and normalized with ImageNet's mean and std
 * on Beam. The two zero-area boxes of BCCD go to the ingest artifact's {@code dead_letter.jsonl}; both stages' data
 * can be looked at with {@code tessera preview bccd-detector-data ingest}.
 *
 * <p>Mosaic and letterbox replace the plain resize once their kernels land; training joins after them.
 */
public final class BccdDetectorData implements ExperimentDefinition {
  public static final String NAME = "bccd-detector-data";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "BCCD detection data: ingest (VOC, dead-letter for bad boxes) -> resize 416x416 + normalize (Beam)";
  }

  @Override
  public Experiment define() {
    return Experiment.named(NAME)
        .description(description())
        .seed(42)
        .stage("ingest", Ingest.dataset("bccd").samplesPerShard(32))
        .stage("preprocess", new Preprocess(new PreprocessSpec(416, 416, Interpolation.BILINEAR,
            List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225))), after("ingest"))
        .build();
  }
}
