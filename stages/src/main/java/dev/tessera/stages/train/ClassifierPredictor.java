package dev.tessera.stages.train;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.tessera.stages.train.internal.ModelDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A trained classifier loaded from a model directory, for inference on float batches.
 *
 * <pre>{@code
 * try (ClassifierPredictor predictor = ClassifierPredictor.load(modelDir)) {
 *   int[] classes = predictor.predict(images, count);   // images: count x C x H x W floats, NCHW
 * }
 * }</pre>
 *
 * <p>Not thread-safe: use one predictor per thread (for Beam, one per DoFn instance, opened in {@code @Setup}).
 */
public final class ClassifierPredictor implements AutoCloseable {
  private final Model model;
  private final ModelMetadata metadata;

  private ClassifierPredictor(Model model, ModelMetadata metadata) {
    this.model = model;
    this.metadata = metadata;
  }

  /** Loads the model saved by {@link ClassifierTrainer#train} in {@code modelDir} on the engine's default device. */
  public static ClassifierPredictor load(Path modelDir) throws IOException {
    ModelMetadata metadata = ModelDirectory.readMetadata(modelDir);
    Model model = Model.newInstance(metadata.modelName());
    try {
      model.setBlock(Models.newBlock(metadata.spec().model()));
      model.load(modelDir, metadata.modelName(), Map.of("epoch", Integer.toString(metadata.epochs())));
      return new ClassifierPredictor(model, metadata);
    } catch (MalformedModelException | IOException | RuntimeException e) {
      model.close();
      throw new IOException(
          "Cannot load the classifier in " + modelDir + " (" + metadata.paramsFile() + "): " + e.getMessage(), e);
    }
  }

  public ModelMetadata metadata() {
    return metadata;
  }

  /** The model's input, architecture and classes. */
  public ModelSpec modelSpec() {
    return metadata.spec().model();
  }

  /**
   * Class logits (before softmax) for {@code count} images.
   *
   * @param images at least {@code count * C * H * W} floats, NCHW, preprocessed as for training
   * @return {@code count} rows of {@code classes} logits
   */
  public float[][] logits(float[] images, int count) {
    ModelSpec spec = modelSpec();
    int classes = spec.classes();
    float[] flat = forward(images, count);
    float[][] rows = new float[count][classes];
    for (int i = 0; i < count; i++) {
      System.arraycopy(flat, i * classes, rows[i], 0, classes);
    }
    return rows;
  }

  /** The most likely class of each of {@code count} images (ties: the lowest class index). */
  public int[] predict(float[] images, int count) {
    int classes = modelSpec().classes();
    float[] flat = forward(images, count);
    int[] predicted = new int[count];
    for (int i = 0; i < count; i++) {
      int best = 0;
      for (int c = 1; c < classes; c++) {
        if (flat[i * classes + c] > flat[i * classes + best]) {
          best = c;
        }
      }
      predicted[i] = best;
    }
    return predicted;
  }

  /**
   * The block's raw output for {@code count} images, flattened in its own order: {@code (N, classes)} logits for a
   * classifier, {@code (N, classes, H, W)} for a per-pixel model ({@link ModelFactory#perPixel()}).
   *
   * @param images at least {@code count * C * H * W} floats, NCHW, preprocessed as for training
   */
  public float[] outputs(float[] images, int count) {
    return forward(images, count);
  }

  /** {@link #predict(float[], int)} for a batch. */
  public int[] predict(ImageBatch batch) {
    return predict(batch.images(), batch.count());
  }

  private float[] forward(float[] images, int count) {
    ModelSpec spec = modelSpec();
    long needed = (long) count * spec.sampleSize();
    if (count < 1 || images.length < needed) {
      throw new IllegalArgumentException(
          "predict needs count >= 1 and count x " + spec.channels() + "x" + spec.height() + "x" + spec.width()
              + " floats (NCHW), but got count " + count + " and " + images.length + " floats");
    }
    float[] exact = images.length == needed ? images : java.util.Arrays.copyOf(images, (int) needed);
    try (NDManager manager = model.getNDManager().newSubManager()) {
      NDArray x = manager.create(exact, new Shape(count, spec.channels(), spec.height(), spec.width()));
      NDList out = model.getBlock().forward(new ParameterStore(manager, false), new NDList(x), false);
      return out.head().toFloatArray();
    }
  }

  @Override
  public void close() {
    model.close();
  }
}
