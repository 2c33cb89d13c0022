package dev.tessera.stages.detection.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardReader;
import dev.tessera.stages.detection.coco.ImageBoxes;
import dev.tessera.stages.detection.model.DetectorPredictor;
import dev.tessera.stages.detection.nms.Detection;
import dev.tessera.stages.detection.nms.NmsSpec;
import dev.tessera.transforms.sample.DType;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Detects the boxes of every image of one shard (u8 RGB HWC originals) with the detector loaded once per worker in
 * {@code @Setup}; emits each image as {@link ImageBoxes} for the COCO combine and writes the shard's
 * {@link ImageResult}s as JSON lines to {@code results/<shard index>.jsonl} (on a file system every worker and the
 * driver share).
 */
final class PredictDetectionsFn extends DoFn<KvShard, ImageBoxes> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String modelDir;
  private final String dataDir;
  private final NmsSpec nms;
  private final String resultsDir;
  private transient DetectorPredictor predictor;

  PredictDetectionsFn(Path modelDir, Path dataDir, NmsSpec nms, Path resultsDir) {
    this.modelDir = modelDir.toString();
    this.dataDir = dataDir.toString();
    this.nms = nms;
    this.resultsDir = resultsDir.toString();
  }

  @Setup
  public void setup() throws IOException {
    predictor = DetectorPredictor.load(Path.of(modelDir));
  }

  @ProcessElement
  public void process(@Element KvShard shard, OutputReceiver<ImageBoxes> out) throws IOException {
    Path file = Path.of(resultsDir, shard.index() + ".jsonl");
    Files.createDirectories(file.getParent());
    try (ShardReader reader = ShardReader.open(Path.of(dataDir).resolve(shard.shard().file()));
        BufferedWriter writer = Files.newBufferedWriter(file)) {
      Iterator<Sample> samples = reader.samples();
      for (int row = 0; samples.hasNext(); row++) {
        Sample s = samples.next();
        if (s.dtype() != DType.UINT8 || s.layout() != Layout.HWC || s.channels() != 3) {
          throw new IllegalArgumentException("evaluate-detection reads original u8 RGB HWC images (an ingest "
              + "output), but sample '" + s.id() + "' is " + s.dtype() + " " + s.layout() + " with " + s.channels()
              + " channels. Connect the stage after the ingest stage, not after augment.");
        }
        long imageId = shard.index() * 1_000_000L + row;
        List<Detection> detections = predictor.detect(s.pixels(), s.height(), s.width(), nms);
        List<dev.tessera.transforms.sample.Box> truth = s.boxes() == null ? List.of() : s.boxes();
        writer.write(JSON.writeValueAsString(new ImageResult(imageId, s.id(), s.height(), s.width(), truth,
            detections)));
        writer.newLine();
        out.output(ImageBoxes.of(imageId, truth, detections));
      }
    }
  }

  @Teardown
  public void teardown() {
    if (predictor != null) {
      predictor.close();
    }
  }

  /** Every result the workers wrote for {@code shards} shards, in shard and row order. */
  static List<ImageResult> collect(Path resultsDir, int shards) throws IOException {
    List<ImageResult> all = new java.util.ArrayList<>();
    for (int i = 0; i < shards; i++) {
      Path file = resultsDir.resolve(i + ".jsonl");
      if (!Files.exists(file)) {
        throw new IOException("evaluate-detection found no results for shard " + i + " at " + file + "; the "
            + "workers must share the driver's file system (the work directory).");
      }
      for (String line : Files.readAllLines(file)) {
        all.add(JSON.readValue(line, ImageResult.class));
      }
    }
    return all;
  }
}
