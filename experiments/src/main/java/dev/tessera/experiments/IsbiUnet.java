package dev.tessera.experiments;

import static dev.tessera.pipelines.dag.Experiment.after;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.dag.ExperimentDefinition;
import dev.tessera.stages.ingest.HoldoutSpec;
import dev.tessera.stages.ingest.Ingest;
import dev.tessera.stages.segmentation.EvaluateSegmentation;
import dev.tessera.stages.train.Models;
import dev.tessera.stages.train.OnlineSpec;
import dev.tessera.stages.train.ScheduleSpec;
import dev.tessera.stages.train.Train;
import dev.tessera.stages.train.TrainSpec;
import dev.tessera.stages.train.ValidationSpec;
import dev.tessera.stages.train.models.BceDiceLoss;

/**
 * A U-Net on the ISBI 2012 EM membranes: ingest the 30 labeled 512x512 images with their masks (class 0
 * membrane, 1 cell) and hold 5 out as {@code val} (seeded), train a U-Net of depth 4 and base width 16 on the other
 * 25 downscaled to 256x256, augmented online every epoch (random resized crop of at least 80% of the image,
 * horizontal flips), with BCE + Dice per pixel, validating on the 5 held-out images after every epoch and keeping
 * the best epoch's weights; then evaluate pixel accuracy, IoU per class, mIoU and Dice on the 5 held-out images at their full
 * resolution, with an overlay of the predicted masks.
 */
public final class IsbiUnet implements ExperimentDefinition {
  public static final String NAME = "isbi-unet";
  /** The mean and standard deviation of the 30 training images' gray levels, in [0, 1] units. */
  private static final double MEAN = 0.495;
  private static final double STD = 0.173;
  private static final int SIDE = 256;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "U-Net on the ISBI 2012 membranes: ingest (image + mask, 25/5 split) -> train (bce-dice, online crops "
        + "and flips at 256x256) -> evaluate-segmentation (mIoU, Dice) on the 5 held-out images";
  }

  @Override
  public Experiment define() {
    TrainSpec train = TrainSpec.defaults(Models.unet(4, 16).withInput(3, SIDE, SIDE).withClasses(2))
        .withEpochs(12).withBatchSize(2).withLearningRate(2e-3).withSchedule(ScheduleSpec.cosine())
        .withLoss(BceDiceLoss.NAME).withLogEverySteps(5).withValidation(new ValidationSpec("val", 0))
        .withOnline(OnlineSpec.resizeNormalize(SIDE, SIDE, MEAN, STD).withRandomResizedCrop(0.8).withFlip(0.5));
    return Experiment.named(NAME)
        .description(description())
        .seed(42)
        .stage("ingest", Ingest.dataset("isbi-membrane").holdout(HoldoutSpec.of(5)))
        .stage("train", new Train(train), after("ingest"))
        .stage("evaluate", EvaluateSegmentation.on("val"), after("train", "ingest"))
        .build();
  }
}
