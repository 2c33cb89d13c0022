package dev.tessera.stages.evaluate;

import dev.tessera.pipelines.data.Locations;
import dev.tessera.pipelines.data.SampleBatch;
import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardReader;
import dev.tessera.stages.train.ClassifierPredictor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Classifies every sample of one shard, emits the shard's confusion counts and hands its per-sample predictions
 * (labels, predicted classes, softmax probabilities) to the driver as {@code <shard file>.arrow} in a
 * {@link HandOff} folder, replaced whole so a retried bundle rewrites the same content. The shard is read where
 * the dataset is ({@link Locations}: a local directory, or the artifact root in a bucket, read through Beam's
 * file systems on whichever worker runs this), in batches of {@code batchSize} rows in shard order. One predictor
 * per DoFn instance, loaded in {@code @Setup} from the model's local copy ({@link ModelCopy}) and closed in
 * {@code @Teardown}, so a worker loads the model once, not once per shard.
 */
final class PredictShardFn extends DoFn<ShardInfo, ConfusionMatrix> {
  private static final long serialVersionUID = 1L;
  private final String modelLocation;
  private final String modelDigest;
  private final String dataLocation;
  private final int classes;
  private final int batchSize;
  private final HandOff predictions;
  private transient ClassifierPredictor predictor;

  PredictShardFn(SplitEvaluation eval, int classes, int batchSize, HandOff predictions) {
    this.modelLocation = eval.modelLocation();
    this.modelDigest = eval.modelDigest();
    this.dataLocation = eval.dataLocation();
    this.classes = classes;
    this.batchSize = batchSize;
    this.predictions = predictions;
  }

  @Setup
  public void setUp() throws Exception {
    try (ModelCopy.Lease copy = ModelCopy.use(modelLocation, modelDigest)) {
      predictor = ClassifierPredictor.load(copy.directory());
    }
  }

  @ProcessElement
  public void process(@Element ShardInfo shard, OutputReceiver<ConfusionMatrix> out) throws IOException {
    ConfusionMatrix matrix = new ConfusionMatrix(classes);
    List<Predictions> batches = new ArrayList<>();
    int elements = predictor.modelSpec().sampleSize();
    float[] images = new float[batchSize * elements];
    int[] labels = new int[batchSize];
    int count = 0;
    int row = 0;
    try (ShardReader reader = ShardReader.open(Locations.resolve(dataLocation, shard.file()), null)) {
      while (reader.loadNextBatch()) {
        SampleBatch batch = reader.batch();
        for (int r = 0; r < batch.rowCount(); r++, row++) {
          labels[count] = batch.label(r, -1);
          if (labels[count] < 0) {
            throw new IllegalStateException("shard " + shard.file() + ": row " + row + " has no label; evaluating "
                + "a classifier needs a label on every sample");
          }
          if (batch.elementCount(r) != elements) {
            throw new IllegalStateException("shard " + shard.file() + ": row " + row + " has "
                + batch.elementCount(r) + " elements, but the model takes " + elements + " (C*H*W)");
          }
          batch.copyImagesAsFloat(r, 1, elements, images, count * elements, 1.0f);
          if (++count == batchSize) {
            batches.add(classify(images, labels, count, matrix));
            count = 0;
          }
        }
      }
    }
    if (count > 0) {
      batches.add(classify(images, labels, count, matrix));
    }
    if (row != shard.rows()) {
      throw new IllegalStateException("shard " + shard.file() + " has " + row + " rows, but its manifest says "
          + shard.rows());
    }
    predictions.write(file(shard), PredictionsFile.bytes(Predictions.concat(batches, classes)));
    out.output(matrix);
  }

  private Predictions classify(float[] images, int[] batchLabels, int count, ConfusionMatrix matrix) {
    float[][] logits = predictor.logits(images, count);
    int[] labels = new int[count];
    int[] predicted = new int[count];
    float[][] probabilities = new float[count][];
    for (int i = 0; i < count; i++) {
      labels[i] = batchLabels[i];
      int best = 0;
      for (int c = 1; c < classes; c++) {
        best = logits[i][c] > logits[i][best] ? c : best;
      }
      predicted[i] = best;
      probabilities[i] = softmax(logits[i], logits[i][best]);
    }
    matrix.addAll(labels, predicted);
    return new Predictions(labels, predicted, probabilities, classes);
  }

  /** exp(l - max) / sum, in double, rounded to float: the largest term is exactly 1, so nothing overflows. */
  static float[] softmax(float[] logits, float max) {
    double[] e = new double[logits.length];
    double sum = 0;
    for (int c = 0; c < logits.length; c++) {
      e[c] = Math.exp((double) logits[c] - max);
      sum += e[c];
    }
    float[] p = new float[logits.length];
    for (int c = 0; c < logits.length; c++) {
      p[c] = (float) (e[c] / sum);
    }
    return p;
  }

  /** Reads the shards' predictions in shard order (dataset order), then deletes the hand-off folder. */
  static Predictions collect(HandOff predictions, List<ShardInfo> shards, int classes) throws IOException {
    List<Predictions> parts = new ArrayList<>(shards.size());
    for (ShardInfo shard : shards) {
      parts.add(PredictionsFile.read(predictions.read(file(shard)), predictions.folder() + file(shard)));
    }
    predictions.delete();
    return Predictions.concat(parts, classes);
  }

  private static String file(ShardInfo shard) {
    return shard.file().replace('/', '_') + ".arrow";
  }

  @Teardown
  public void tearDown() {
    if (predictor != null) {
      predictor.close();
    }
  }
}
