package dev.tessera.stages.detection.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tessera.pipelines.beam.BeamPipelines;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Headline;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageResult;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.data.Locations;
import dev.tessera.pipelines.data.ShardReader;
import dev.tessera.stages.detection.coco.CocoDetection;
import dev.tessera.stages.detection.coco.CocoEvalFn;
import dev.tessera.stages.detection.coco.CocoJson;
import dev.tessera.stages.detection.coco.CocoMetric;
import dev.tessera.stages.detection.coco.CocoSummary;
import dev.tessera.stages.detection.coco.ImageBoxes;
import dev.tessera.stages.detection.model.DetectorModel;
import dev.tessera.stages.detection.voc.VocAp;
import dev.tessera.stages.detection.voc.VocBox;
import dev.tessera.stages.detection.voc.VocPartial;
import dev.tessera.stages.detection.voc.VocSummary;
import dev.tessera.stages.detection.boxes.Corners;
import dev.tessera.stages.evaluate.HandOff;
import dev.tessera.stages.evaluate.ModelCopy;
import dev.tessera.transforms.sample.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;

/**
 * Evaluates a trained detector on a split of original images (an ingest output: u8 RGB with boxes in original
 * pixels), on Beam: one {@code ParDo} element per shard, the detector loaded once per worker; each image is
 * letterboxed as in training, detected, post-processed by NMS ({@link EvaluateDetectionSpec#nms()}) and its boxes
 * mapped back through the letterbox to the original pixels; {@link CocoEvalFn} combines the images into COCO's 12
 * numbers and per-class AP. Writes {@code metrics.json} (COCO numbers keyed by {@link CocoMetric} name in lower
 * case, per-class AP and AP50, VOC mAP@0.5 with all-point interpolation), {@code detections.json} (COCO result
 * format), {@code pr_curves.png} and {@code detections.png} (a grid with true boxes in green and predicted ones
 * in red), all logged as artifacts. The headline is COCO's AP at IoU 0.5.
 *
 * <pre>{@code
 * .stage("evaluate", EvaluateDetection.onTest(), after("train-detector", "ingest"))
 * }</pre>
 */
public record EvaluateDetection(EvaluateDetectionSpec spec) implements Stage<EvaluateDetectionSpec> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Evaluation on the {@code test} split with {@link EvaluateDetectionSpec#defaults()}. */
  public static EvaluateDetection onTest() {
    return new EvaluateDetection(EvaluateDetectionSpec.defaults());
  }

  @Override
  public Stage<EvaluateDetectionSpec> withSpec(EvaluateDetectionSpec newSpec) {
    return new EvaluateDetection(newSpec);
  }

  @Override
  public String kind() {
    return EvaluateDetectionSpec.KIND;
  }

  @Override
  public List<ArtifactKind> inputs() {
    return List.of(ArtifactKind.MODEL, ArtifactKind.DATASET);
  }

  @Override
  public ArtifactKind output() {
    return ArtifactKind.METRICS;
  }

  @Override
  public Optional<Headline> headline() {
    return Optional.of(new Headline("map50", "Test mAP@0.5", true));
  }

  @Override
  public StageResult run(StageContext context) throws Exception {
    // Locations, not local copies: with an artifact root in a bucket the workers read the shards there and fetch
    // the model once per machine (DJL loads local files only); this driver reads the model's classes the same way.
    String model = context.inputLocation(ArtifactKind.MODEL);
    String modelDigest = context.inputDigest(ArtifactKind.MODEL);
    String data = context.inputLocation(ArtifactKind.DATASET);
    DatasetManifest manifest = DatasetManifest.read(data);
    DatasetManifest.Split split = manifest.splits().get(spec.split());
    if (split == null) {
      throw new IllegalArgumentException("evaluate-detection.split '" + spec.split() + "' is not in dataset '"
          + manifest.dataset() + "'; its splits are " + manifest.splits().keySet() + ".");
    }
    List<String> classes;
    try (ModelCopy.Lease copy = ModelCopy.use(model, modelDigest)) {
      classes = DetectorModel.read(copy.directory()).classNames();
    }
    if (!classes.equals(manifest.classes())) {
      throw new IllegalArgumentException("the detector was trained on classes " + classes + ", but dataset '"
          + manifest.dataset() + "' has " + manifest.classes() + ". Evaluate on the dataset it was trained on.");
    }
    List<KvShard> shards = IntStream.range(0, split.shards().size())
        .mapToObj(i -> new KvShard(i, split.shards().get(i))).toList();
    HandOff summaryFolder = HandOff.of(context, "coco-summary");
    HandOff resultsFolder = HandOff.of(context, "results");
    context.progress().update(0, split.rows(), "detecting boxes in " + split.rows() + " images");
    Set<Integer> categories = new TreeSet<>();
    IntStream.range(0, classes.size()).forEach(categories::add);
    Pipeline pipeline = BeamPipelines.create(context.pipelineArgs());
    pipeline
        .apply("Shards", Create.of(shards).withCoder(SerializableCoder.of(KvShard.class)))
        .apply("SpreadShards", Reshuffle.viaRandomKey())
        .apply("Detect", ParDo.of(new PredictDetectionsFn(model, modelDigest, data, spec.nms(), resultsFolder)))
        .setCoder(SerializableCoder.of(ImageBoxes.class))
        .apply("Coco", Combine.globally(new CocoEvalFn(categories)))
        .apply("Write", ParDo.of(new WriteSummaryFn(summaryFolder)));
    BeamPipelines.runToCompletion(pipeline, "evaluate-detection");
    CocoSummary coco = WriteSummaryFn.read(summaryFolder);
    List<ImageResult> results = PredictDetectionsFn.collect(resultsFolder, shards.size());
    summaryFolder.delete();
    resultsFolder.delete();
    if (results.size() != split.rows()) {
      throw new IllegalStateException("evaluate-detection evaluated " + results.size() + " images, but split '"
          + spec.split() + "' has " + split.rows());
    }
    context.progress().update(split.rows(), split.rows(), results.size() + " images");

    VocPartial voc = VocPartial.empty(0.5);
    for (ImageResult r : results) {
      List<VocBox> truth = r.truth().stream().map(b -> new VocBox(Corners.of(b), b.classId(), false)).toList();
      voc.addAll(VocPartial.ofImage(r.imageId(), truth, r.detections(), 0.5));
    }
    VocSummary vocSummary = voc.summarize(VocAp.ALL_POINT);
    Path out = context.outputDirectory();
    Map<String, Object> metrics = new LinkedHashMap<>();
    Map<String, Double> cocoNumbers = new LinkedHashMap<>();
    for (CocoMetric metric : CocoMetric.values()) {
      cocoNumbers.put(metric.name().toLowerCase(java.util.Locale.ROOT), coco.get(metric));
    }
    metrics.put("coco", cocoNumbers);
    Map<String, Map<String, Double>> perClass = new LinkedHashMap<>();
    List<double[][]> curves = new ArrayList<>();
    List<Double> vocAp = new ArrayList<>();
    for (int c = 0; c < classes.size(); c++) {
      Map<String, Double> figures = new LinkedHashMap<>();
      figures.put("ap", coco.categoryAp().getOrDefault(c, -1.0));
      figures.put("ap50", coco.categoryAp50().getOrDefault(c, -1.0));
      figures.put("voc_ap50", vocSummary.classAp().getOrDefault(c, -1.0));
      perClass.put(classes.get(c), figures);
      curves.add(voc.curve(c));
      vocAp.add(vocSummary.classAp().getOrDefault(c, 0.0));
    }
    metrics.put("per_class", perClass);
    metrics.put("voc_map50", vocSummary.meanAp());
    metrics.put("images", results.size());
    JSON.writeValue(out.resolve("metrics.json").toFile(), metrics);
    List<CocoDetection> detections = new ArrayList<>();
    results.forEach(r -> detections.addAll(ImageBoxes.of(r.imageId(), r.truth(), r.detections()).detections()));
    CocoJson.writeDetections(detections, out.resolve("detections.json"));
    DetectionPrPlot.savePng(curves, classes, vocAp, out.resolve("pr_curves.png"));
    List<ImageResult> shown = results.subList(0, Math.min(spec.gridImages(), results.size()));
    if (!shown.isEmpty()) {
      DetectionGrid.write(samples(data, split, shown.size()), shown, classes, spec.drawScore(),
          out.resolve("detections.png"));
    }
    for (String artifact : List.of("metrics.json", "detections.json", "pr_curves.png", "detections.png")) {
      if (Files.exists(out.resolve(artifact))) {
        context.tracker().logArtifact(out.resolve(artifact), artifact);
      }
    }
    StageResult result = StageResult.of(results.size())
        .with("map50", coco.get(CocoMetric.AP50))
        .with("map", coco.get(CocoMetric.AP))
        .with("voc_map50", vocSummary.meanAp());
    for (Map.Entry<String, Double> figure : cocoNumbers.entrySet()) {
      result = result.with("coco_" + figure.getKey(), figure.getValue());
    }
    for (int c = 0; c < classes.size(); c++) {
      result = result.with("ap50_" + classes.get(c), coco.categoryAp50().getOrDefault(c, -1.0));
    }
    return result;
  }

  /** The first {@code count} samples of the split, in shard order (the order of the collected results). */
  private static List<Sample> samples(String data, DatasetManifest.Split split, int count)
      throws java.io.IOException {
    List<Sample> samples = new ArrayList<>();
    for (var shard : split.shards()) {
      try (ShardReader reader = ShardReader.open(Locations.resolve(data, shard.file()), null)) {
        var it = reader.samples();
        while (it.hasNext() && samples.size() < count) {
          samples.add(it.next());
        }
      }
      if (samples.size() >= count) {
        break;
      }
    }
    return samples;
  }
}
