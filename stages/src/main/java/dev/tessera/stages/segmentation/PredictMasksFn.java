package dev.tessera.stages.segmentation;

import dev.tessera.pipelines.data.Locations;
import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardReader;
import dev.tessera.stages.evaluate.HandOff;
import dev.tessera.stages.evaluate.ModelCopy;
import dev.tessera.stages.evaluate.SplitEvaluation;
import dev.tessera.stages.train.ClassifierPredictor;
import dev.tessera.stages.train.ModelSpec;
import dev.tessera.stages.train.OnlineSpec;
import dev.tessera.transforms.image.ResizeNormalize;
import dev.tessera.transforms.sample.Sample;
import java.io.IOException;
import java.util.Iterator;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Predicts the mask of every sample of one shard and emits it with the sample's own mask. Each image is prepared as
 * the trainer prepared it, without augmentation (the model's {@code train.online} resize and normalization), run
 * through the model, and its per-pixel logits resized back to the image's own size ({@link PixelLogits}), so the
 * metrics compare masks at the ground truth's resolution. Each predicted mask is also handed to the driver, whole,
 * as {@code <sample id with '/' as '_'>.mask} (one byte per pixel) in a {@link HandOff} folder for the overlay.
 * The shards are read where the dataset is (in the bucket when the artifact root is one); one model per DoFn
 * instance, loaded in {@code @Setup} from the model's local copy ({@link ModelCopy}).
 */
final class PredictMasksFn extends DoFn<ShardInfo, MaskPair> {
  private static final long serialVersionUID = 1L;
  private final String modelLocation;
  private final String modelDigest;
  private final String dataLocation;
  private final HandOff masks;
  private transient ClassifierPredictor predictor;
  private transient ResizeNormalize kernel;

  PredictMasksFn(SplitEvaluation eval, HandOff masks) {
    this.modelLocation = eval.modelLocation();
    this.modelDigest = eval.modelDigest();
    this.dataLocation = eval.dataLocation();
    this.masks = masks;
  }

  @Setup
  public void setUp() throws IOException {
    try (ModelCopy.Lease copy = ModelCopy.use(modelLocation, modelDigest)) {
      predictor = ClassifierPredictor.load(copy.directory());
    }
    kernel = preparation(predictor).kernel();
  }

  /** How the model's training prepared images, without augmentation; fails for models it cannot evaluate. */
  static OnlineSpec preparation(ClassifierPredictor predictor) {
    ModelSpec model = predictor.modelSpec();
    if (!model.factory().perPixel()) {
      throw new IllegalArgumentException("evaluate-segmentation needs a per-pixel model (such as unet), but the "
          + "model is " + model.architecture() + ", which classifies whole images; use evaluate instead");
    }
    OnlineSpec online = predictor.metadata().spec().online();
    if (online == null) {
      throw new IllegalArgumentException("evaluate-segmentation prepares images as the model's train.online did, "
          + "but the model was trained without train.online");
    }
    return online.withoutAugmentation();
  }

  @ProcessElement
  public void process(@Element ShardInfo shard, OutputReceiver<MaskPair> out) throws IOException {
    ModelSpec model = predictor.modelSpec();
    float[] input = new float[model.sampleSize()];
    try (ShardReader reader = ShardReader.open(Locations.resolve(dataLocation, shard.file()), null)) {
      for (Iterator<Sample> it = reader.samples(); it.hasNext(); ) {
        Sample s = it.next();
        if (s.mask() == null) {
          throw new IllegalArgumentException("sample '" + s.id() + "' of shard " + shard.file() + " has no mask; "
              + "evaluate-segmentation needs a ground-truth mask on every sample of the split");
        }
        if (s.channels() != model.channels()) {
          throw new IllegalArgumentException("the model takes " + model.channels() + "-channel images, but sample '"
              + s.id() + "' has " + s.channels());
        }
        kernel.apply(s.pixels(), s.height(), s.width(), s.channels(), input);
        float[] logits = predictor.outputs(input, 1);
        byte[] predicted = PixelLogits.argmaxResized(logits, 0, model.classes(), model.height(), model.width(),
            s.width(), s.height());
        masks.write(file(s.id()), predicted);
        out.output(new MaskPair(s.id(), s.mask(), predicted));
      }
    }
  }

  /** The file name of the predicted mask of sample {@code id} in the hand-off folder. */
  static String file(String id) {
    return id.replace('/', '_') + ".mask";
  }

  @Teardown
  public void tearDown() {
    if (predictor != null) {
      predictor.close();
    }
  }
}
