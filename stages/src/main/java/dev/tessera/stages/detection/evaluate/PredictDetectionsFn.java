package dev.tessera.stages.detection.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.data.Locations;
import dev.tessera.pipelines.data.ShardReader;
import dev.tessera.stages.detection.coco.ImageBoxes;
import dev.tessera.stages.detection.model.DetectorPredictor;
import dev.tessera.stages.detection.nms.Detection;
import dev.tessera.stages.detection.nms.NmsSpec;
import dev.tessera.stages.evaluate.HandOff;
import dev.tessera.stages.evaluate.ModelCopy;
import dev.tessera.transforms.sample.DType;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Detects the boxes of every image of one shard (u8 RGB HWC originals) with the detector loaded once per worker in
 * {@code @Setup} from its local copy ({@link ModelCopy}); emits each image as {@link ImageBoxes} for the COCO
 * combine and hands the shard's {@link ImageResult}s to the driver as JSON lines, {@code <shard index>.jsonl} in a
 * {@link HandOff} folder. The shard is read where the dataset is (in the bucket when the artifact root is one).
 */
final class PredictDetectionsFn extends DoFn<KvShard, ImageBoxes> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String modelLocation;
  private final String modelDigest;
  private final String dataLocation;
  private final NmsSpec nms;
  private final HandOff results;
  private transient DetectorPredictor predictor;

  PredictDetectionsFn(String modelLocation, String modelDigest, String dataLocation, NmsSpec nms, HandOff results) {
    this.modelLocation = modelLocation;
    this.modelDigest = modelDigest;
    this.dataLocation = dataLocation;
    this.nms = nms;
    this.results = results;
  }

  @Setup
  public void setup() throws IOException {
    try (ModelCopy.Lease copy = ModelCopy.use(modelLocation, modelDigest)) {
      predictor = DetectorPredictor.load(copy.directory());
    }
  }

  @ProcessElement
  public void process(@Element KvShard shard, OutputReceiver<ImageBoxes> out) throws IOException {
    StringBuilder lines = new StringBuilder();
    try (ShardReader reader = ShardReader.open(Locations.resolve(dataLocation, shard.shard().file()), null)) {
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
        lines.append(JSON.writeValueAsString(new ImageResult(imageId, s.id(), s.height(), s.width(), truth,
            detections))).append('\n');
        out.output(ImageBoxes.of(imageId, truth, detections));
      }
    }
    results.write(shard.index() + ".jsonl", lines.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Teardown
  public void teardown() {
    if (predictor != null) {
      predictor.close();
    }
  }

  /** Every result the workers handed over for {@code shards} shards, in shard and row order. */
  static List<ImageResult> collect(HandOff results, int shards) throws IOException {
    List<ImageResult> all = new java.util.ArrayList<>();
    for (int i = 0; i < shards; i++) {
      for (String line : new String(results.read(i + ".jsonl"), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isEmpty()) {
          all.add(JSON.readValue(line, ImageResult.class));
        }
      }
    }
    return all;
  }
}
