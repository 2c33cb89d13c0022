package dev.tessera.stages.segmentation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Headline;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageResult;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.data.Locations;
import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardReader;
import dev.tessera.stages.evaluate.ConfusionMatrix;
import dev.tessera.stages.evaluate.HandOff;
import dev.tessera.stages.evaluate.SplitEvaluation;
import dev.tessera.transforms.sample.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Evaluates a per-pixel model (such as {@code unet}) on one split as a Beam pipeline: shards are predicted in
 * parallel (one model per worker, {@link PredictMasksFn}) at each image's own resolution, and the pixels are
 * counted by {@link SegmentationMetrics}, a combine whose confusion-matrix accumulators merge exactly. Reports
 * pixel accuracy, IoU and Dice per class and their means ({@link SegmentationReport}) as the stage's metrics
 * (tracked as {@code evaluate-segmentation/mean_iou}, ...) and in {@code metrics.json}, and draws
 * {@code overlay.png}: the first images of the split with their predicted masks tinted and the ground truth's
 * boundaries in green ({@link MaskOverlay}; every class but the most frequent one, the background, is tinted).
 *
 * <pre>{@code
 * .stage("evaluate", EvaluateSegmentation.on("val"), after("train", "ingest"))
 * }</pre>
 */
public record EvaluateSegmentation(EvaluateSegmentationSpec spec) implements Stage<EvaluateSegmentationSpec> {
  /** The overlay's file name in the output. */
  public static final String OVERLAY = "overlay.png";

  /** Evaluates on {@code split} with the default overlay. */
  public static EvaluateSegmentation on(String split) {
    return new EvaluateSegmentation(EvaluateSegmentationSpec.defaults().withSplit(split));
  }

  @Override
  public Stage<EvaluateSegmentationSpec> withSpec(EvaluateSegmentationSpec newSpec) {
    return new EvaluateSegmentation(newSpec);
  }

  @Override
  public String kind() {
    return EvaluateSegmentationSpec.KIND;
  }

  @Override
  public List<ArtifactKind> inputs() {
    return List.of(ArtifactKind.MODEL, ArtifactKind.DATASET);
  }

  @Override
  public ArtifactKind output() {
    return ArtifactKind.METRICS;
  }

  /** The mean IoU on the evaluated split. */
  @Override
  public Optional<Headline> headline() {
    String label = Character.toUpperCase(spec.split().charAt(0)) + spec.split().substring(1) + " mean IoU";
    return Optional.of(new Headline("mean_iou", label, false));
  }

  @Override
  public StageResult run(StageContext context) throws Exception {
    SplitEvaluation eval = SplitEvaluation.open(context, EvaluateSegmentationSpec.KIND, spec.split());
    DatasetManifest manifest = eval.manifest();
    DatasetManifest.Split split = eval.split();
    context.progress().update(0, split.shards().size(), "segmenting " + split.rows() + " images");
    HandOff masks = eval.handOff("masks");
    ConfusionMatrix matrix = eval.run(eval.shards()
        .apply("Predict", ParDo.of(new PredictMasksFn(eval, masks)))
        .setCoder(SerializableCoder.of(MaskPair.class))
        .apply("Count", Combine.globally(SegmentationMetrics.of(manifest.classes())))
        .apply("Counts", MapElements.into(TypeDescriptor.of(ConfusionMatrix.class))
            .via(SegmentationReport::confusion))
        .setCoder(SerializableCoder.of(ConfusionMatrix.class)));
    SegmentationReport report = new SegmentationReport(manifest.classes(), matrix);
    context.progress().update(split.shards().size(), split.shards().size(), split.rows() + " images, "
        + report.pixels() + " pixels");

    Path out = context.outputDirectory();
    Map<String, Object> json = new LinkedHashMap<>(report.summary());
    json.put("split", spec.split());
    json.put("images", split.rows());
    json.put("pixels", report.pixels());
    json.put("classes", manifest.classes());
    json.put("confusion", report.confusion().counts());
    Files.write(out.resolve("metrics.json"),
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json));
    context.tracker().logArtifact(out.resolve("metrics.json"), "metrics.json");
    if (spec.overlayImages() > 0) {
      MaskOverlay.savePng(overlayItems(eval.dataLocation(), split, masks), tinted(report), out.resolve(OVERLAY));
      context.tracker().logArtifact(out.resolve(OVERLAY), OVERLAY);
    }
    masks.delete();
    StageResult result = StageResult.of(split.rows());
    for (Map.Entry<String, Double> metric : report.summary().entrySet()) {
      result = result.with(metric.getKey(), metric.getValue());
    }
    return result;
  }

  /** The first {@code overlayImages} samples of the split by id, with the masks the pipeline predicted. */
  private List<MaskOverlay.Item> overlayItems(String dataLocation, DatasetManifest.Split split, HandOff masks)
      throws IOException {
    List<Sample> samples = new ArrayList<>();
    for (ShardInfo shard : split.shards()) {
      try (ShardReader reader = ShardReader.open(Locations.resolve(dataLocation, shard.file()), null)) {
        for (Iterator<Sample> it = reader.samples(); it.hasNext(); ) {
          samples.add(it.next());
        }
      }
    }
    samples.sort(Comparator.comparing(Sample::id));
    List<MaskOverlay.Item> items = new ArrayList<>();
    for (Sample s : samples.subList(0, Math.min(spec.overlayImages(), samples.size()))) {
      items.add(new MaskOverlay.Item(s, masks.read(PredictMasksFn.file(s.id()))));
    }
    return items;
  }

  /** Every class but the one with the most ground-truth pixels (the background). */
  private static boolean[] tinted(SegmentationReport report) {
    int classes = report.classes().size();
    int background = 0;
    for (int c = 1; c < classes; c++) {
      background = report.confusion().support(c) > report.confusion().support(background) ? c : background;
    }
    boolean[] tinted = new boolean[classes];
    java.util.Arrays.fill(tinted, true);
    tinted[background] = classes == 1;
    return tinted;
  }
}
