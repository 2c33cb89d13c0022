package dev.tessera.stages.evaluate;

import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.stages.train.BatchSource;
import dev.tessera.stages.train.ClassifierPredictor;
import dev.tessera.stages.train.ImageBatch;
import dev.tessera.stages.train.ShardBatchSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Classifies every sample of one shard, emits the shard's confusion counts and writes its per-sample predictions
 * (labels, predicted classes, softmax probabilities) to {@code <predictionsDir>/<shard file>.arrow}, replacing the
 * file atomically so a retried bundle rewrites the same content. One predictor per DoFn instance, loaded in
 * {@code @Setup} and closed in {@code @Teardown}, so a worker loads the model once, not once per shard.
 */
final class PredictShardFn extends DoFn<ShardInfo, ConfusionMatrix> {
  private static final long serialVersionUID = 1L;
  private final String modelDir;
  private final String datasetDir;
  private final int classes;
  private final int batchSize;
  private final String predictionsDir;
  private transient ClassifierPredictor predictor;

  PredictShardFn(Path modelDir, Path datasetDir, int classes, int batchSize, Path predictionsDir) {
    this.modelDir = modelDir.toString();
    this.datasetDir = datasetDir.toString();
    this.classes = classes;
    this.batchSize = batchSize;
    this.predictionsDir = predictionsDir.toString();
  }

  @Setup
  public void setUp() throws Exception {
    predictor = ClassifierPredictor.load(Path.of(modelDir));
  }

  @ProcessElement
  public void process(@Element ShardInfo shard, OutputReceiver<ConfusionMatrix> out) throws IOException {
    ConfusionMatrix matrix = new ConfusionMatrix(classes);
    List<Predictions> batches = new ArrayList<>();
    try (BatchSource source = new ShardBatchSource(Path.of(datasetDir), List.of(shard),
        predictor.modelSpec().sampleSize(), batchSize, 0, false);
        BatchSource.Cursor cursor = source.epoch(0)) {
      while (cursor.hasNext()) {
        ImageBatch batch = cursor.next();
        Predictions predictions = classify(batch);
        matrix.addAll(predictions.labels(), predictions.predicted());
        batches.add(predictions);
        cursor.release(batch);
      }
    }
    PredictionsFile.write(Predictions.concat(batches, classes), file(Path.of(predictionsDir), shard));
    out.output(matrix);
  }

  private Predictions classify(ImageBatch batch) {
    int count = batch.count();
    float[][] logits = predictor.logits(batch.images(), count);
    int[] labels = new int[count];
    int[] predicted = new int[count];
    float[][] probabilities = new float[count][];
    for (int i = 0; i < count; i++) {
      labels[i] = batch.labels()[i];
      int best = 0;
      for (int c = 1; c < classes; c++) {
        best = logits[i][c] > logits[i][best] ? c : best;
      }
      predicted[i] = best;
      probabilities[i] = softmax(logits[i], logits[i][best]);
    }
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

  /** Reads the shards' prediction files in shard order (dataset order), then deletes them and their directory. */
  static Predictions collect(Path predictionsDir, List<ShardInfo> shards, int classes) throws IOException {
    List<Predictions> parts = new ArrayList<>(shards.size());
    for (ShardInfo shard : shards) {
      Path file = file(predictionsDir, shard);
      if (!Files.exists(file)) {
        throw new IllegalStateException("evaluate: the predictions of shard '" + shard.file() + "' are not in "
            + file + "; the Beam workers write them into the stage's work directory, so they must share the "
            + "driver's file system (as the Direct runner and local Flink and Spark do).");
      }
      parts.add(PredictionsFile.read(file));
      Files.delete(file);
    }
    Files.deleteIfExists(predictionsDir);
    return Predictions.concat(parts, classes);
  }

  private static Path file(Path predictionsDir, ShardInfo shard) {
    return predictionsDir.resolve(shard.file().replace('/', '_') + ".arrow");
  }

  @Teardown
  public void tearDown() {
    if (predictor != null) {
      predictor.close();
    }
  }
}
