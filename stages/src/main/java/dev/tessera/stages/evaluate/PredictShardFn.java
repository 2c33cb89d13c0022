package dev.tessera.stages.evaluate;

import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.stages.train.BatchSource;
import dev.tessera.stages.train.ClassifierPredictor;
import dev.tessera.stages.train.ImageBatch;
import dev.tessera.stages.train.ShardBatchSource;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Classifies every sample of one shard and emits the shard's confusion counts. One predictor per DoFn instance,
 * loaded in {@code @Setup} and closed in {@code @Teardown}, so a worker loads the model once, not once per shard.
 */
final class PredictShardFn extends DoFn<ShardInfo, ConfusionMatrix> {
  private static final long serialVersionUID = 1L;
  private final String modelDir;
  private final String datasetDir;
  private final int classes;
  private final int batchSize;
  private transient ClassifierPredictor predictor;

  PredictShardFn(Path modelDir, Path datasetDir, int classes, int batchSize) {
    this.modelDir = modelDir.toString();
    this.datasetDir = datasetDir.toString();
    this.classes = classes;
    this.batchSize = batchSize;
  }

  @Setup
  public void setUp() throws Exception {
    predictor = ClassifierPredictor.load(Path.of(modelDir));
  }

  @ProcessElement
  public void process(@Element ShardInfo shard, OutputReceiver<ConfusionMatrix> out) {
    ConfusionMatrix matrix = new ConfusionMatrix(classes);
    try (BatchSource source = new ShardBatchSource(Path.of(datasetDir), List.of(shard),
        predictor.modelSpec().sampleSize(), batchSize, 0, false);
        BatchSource.Cursor batches = source.epoch(0)) {
      while (batches.hasNext()) {
        ImageBatch batch = batches.next();
        int[] predicted = predictor.predict(batch);
        matrix.addAll(Arrays.copyOf(batch.labels(), batch.count()), Arrays.copyOf(predicted, batch.count()));
        batches.release(batch);
      }
    }
    out.output(matrix);
  }

  @Teardown
  public void tearDown() {
    if (predictor != null) {
      predictor.close();
    }
  }
}
