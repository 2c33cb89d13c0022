package dev.tessera.stages.segmentation;

import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardReader;
import dev.tessera.stages.train.ClassifierPredictor;
import dev.tessera.stages.train.ModelSpec;
import dev.tessera.stages.train.OnlineSpec;
import dev.tessera.transforms.image.ResizeNormalize;
import dev.tessera.transforms.sample.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Predicts the mask of every sample of one shard and emits it with the sample's own mask. Each image is prepared as
 * the trainer prepared it, without augmentation (the model's {@code train.online} resize and normalization), run
 * through the model, and its per-pixel logits resized back to the image's own size ({@link PixelLogits}), so the
 * metrics compare masks at the ground truth's resolution. Each predicted mask is also written, atomically, to
 * {@code <masksDir>/<sample id with '/' as '_'>.mask} (one byte per pixel) for the overlay. One model per DoFn
 * instance, loaded in {@code @Setup}.
 */
final class PredictMasksFn extends DoFn<ShardInfo, MaskPair> {
  private static final long serialVersionUID = 1L;
  private final String modelDir;
  private final String datasetDir;
  private final String masksDir;
  private transient ClassifierPredictor predictor;
  private transient ResizeNormalize kernel;

  PredictMasksFn(Path modelDir, Path datasetDir, Path masksDir) {
    this.modelDir = modelDir.toString();
    this.datasetDir = datasetDir.toString();
    this.masksDir = masksDir.toString();
  }

  @Setup
  public void setUp() throws IOException {
    predictor = ClassifierPredictor.load(Path.of(modelDir));
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
    try (ShardReader reader = ShardReader.open(Path.of(datasetDir).resolve(shard.file()))) {
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
        write(s.id(), predicted);
        out.output(new MaskPair(s.id(), s.mask(), predicted));
      }
    }
  }

  private void write(String id, byte[] mask) throws IOException {
    Path target = file(Path.of(masksDir), id);
    Files.createDirectories(target.getParent());
    Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.write(temp, mask);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Where the predicted mask of sample {@code id} is written. */
  static Path file(Path masksDir, String id) {
    return masksDir.resolve(id.replace('/', '_') + ".mask");
  }

  @Teardown
  public void tearDown() {
    if (predictor != null) {
      predictor.close();
    }
  }
}
