package dev.tessera.stages.ingest;

import dev.tessera.pipelines.beam.BeamPipelines;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageResult;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardOutputs;
import dev.tessera.pipelines.data.ShardWriterSettings;
import dev.tessera.pipelines.datasets.DataSettings;
import dev.tessera.pipelines.datasets.DatasetCatalog;
import dev.tessera.pipelines.datasets.IdxImages;
import dev.tessera.pipelines.datasets.IdxLabels;
import dev.tessera.pipelines.datasets.IdxSplit;
import dev.tessera.stages.preview.SampleGrid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;

/**
 * Reads a dataset (from the catalog: cache, offline mirror, upstream, checksums verified; or from a local folder)
 * and writes it as Arrow shards with a {@code shards.json} manifest, as a Beam pipeline with one element per shard.
 * Output kind: {@link ArtifactKind#DATASET}.
 *
 * <p>Images become uint8 HWC RGB samples (gray converted to RGB); segmentation masks ({@link SourceFormat#MASKS})
 * become each sample's uint8 class-index plane ({@link MaskPairs}). Bad input (corrupt or truncated images,
 * unparsable annotations, zero-area or out-of-image boxes, wrong channel counts, missing images) goes to
 * {@code dead_letter.jsonl} in the artifact and is counted in the summary as {@code dead_letter}; with
 * {@code failOnBadInput} it fails the stage instead. Datasets with boxes also get {@code preview.png}, a grid of
 * samples with their boxes drawn, logged as an artifact.
 *
 * <pre>{@code
 * .stage("ingest", Ingest.dataset("mnist"))
 * .stage("ingest", Ingest.dataset("bccd").samplesPerShard(32))
 * .stage("ingest", Ingest.local("my-cells", "/data/cells-voc"))
 * .stage("ingest", Ingest.dataset("isbi-membrane").holdout(HoldoutSpec.of(5)))   // image + mask, 25/5 split
 * }</pre>
 */
public record Ingest(IngestSpec spec) implements Stage<IngestSpec> {
  /** BCCD's class names, index = class id. */
  public static final List<String> BCCD_CLASSES = List.of("RBC", "WBC", "Platelets");
  /** The preview grid's file name inside the artifact. */
  public static final String PREVIEW = "preview.png";

  /** IDX datasets: their class names (their split files: {@link IdxSplit}). */
  private static final Map<String, List<String>> IDX_CLASSES = Map.of(
      "mnist", DatasetCatalog.MNIST_CLASSES, "fashion-mnist", DatasetCatalog.FASHION_MNIST_CLASSES);

  /** Ingests a catalog dataset in its own layout. */
  public static Ingest dataset(String name) {
    return new Ingest(IngestSpec.of(name));
  }

  /** Ingests a local folder (VOC, COCO, YOLO, image folders or Tessera shards, detected), naming it {@code name}. */
  public static Ingest local(String name, String path) {
    return new Ingest(IngestSpec.of(name).withPath(path));
  }

  /** A copy with {@code n} samples per shard. */
  public Ingest samplesPerShard(int n) {
    return new Ingest(spec.withSamplesPerShard(n));
  }

  /** A copy that reads the given layout (for example coco128 as {@link SourceFormat#YOLO}). */
  public Ingest format(SourceFormat format) {
    return new Ingest(spec.withFormat(format));
  }

  /**
   * A copy that moves {@code holdout.count} samples of {@code train}, drawn with {@code holdout.seed}, to the split
   * {@code holdout.split} (see {@link HoldoutSpec}).
   */
  public Ingest holdout(HoldoutSpec holdout) {
    return new Ingest(spec.withHoldout(holdout));
  }

  /** A copy that fails on the first bad input instead of writing it to the dead-letter file. */
  public Ingest failOnBadInput() {
    return new Ingest(spec.withFailOnBadInput(true));
  }

  @Override
  public Stage<IngestSpec> withSpec(IngestSpec newSpec) {
    return new Ingest(newSpec);
  }

  @Override
  public String kind() {
    return "ingest";
  }

  @Override
  public List<ArtifactKind> inputs() {
    return List.of();
  }

  @Override
  public ArtifactKind output() {
    return ArtifactKind.DATASET;
  }

  /** The local folder it reads ({@code folder:<path>}), or the catalog dataset, pinned by checksums in code. */
  @Override
  public List<String> externalData() {
    return spec.path().isEmpty() ? List.of("catalog:" + spec.dataset())
        : List.of("folder:" + java.nio.file.Path.of(spec.path()).toAbsolutePath().normalize());
  }

  @Override
  public StageResult run(StageContext context) throws Exception {
    // The workers write the shards and dead letters to the output location: with an artifact root in a bucket, a
    // staging folder there (published by the executor), else the output directory.
    String written = context.outputLocation();
    Path root = spec.path().isEmpty() ? resolveCatalog(context) : localFolder();
    SourceFormat format = format(root);
    StageResult result = format == SourceFormat.IDX ? ingestIdx(context, root) : ingestSources(context, root, format);
    List<DeadLetter> letters = DeadLetters.read(written);
    if (!DeadLetters.exists(written)) {
      DeadLetters.write(written, letters); // an empty file says "checked, nothing bad"
    }
    for (DeadLetter letter : letters.subList(0, Math.min(letters.size(), 20))) {
      context.progress().log("dead letter " + letter.id() + " (" + letter.scope() + "): " + letter.reason());
    }
    return result
        .with("dead_letter", letters.size())
        .with("dead_letter_samples", letters.stream().filter(l -> l.scope().equals(DeadLetter.SAMPLE)).count());
  }

  /** The local dataset folder, which must exist: a missing one would otherwise read as an empty dataset. */
  private Path localFolder() {
    Path folder = Path.of(spec.path());
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException("ingest.path '" + spec.path() + "' is not a folder (looked for "
          + folder.toAbsolutePath().normalize() + "). Put the dataset there, or point ingest at it with "
          + "--set ingest.path=/path/to/" + spec.dataset() + " (an absolute path, so scheduled runs find it too).");
    }
    return folder;
  }

  private Path resolveCatalog(StageContext context) throws IOException {
    // The live stage table owns the terminal: report through the stage, not a second progress bar.
    DatasetCatalog catalog = DatasetCatalog.standard(DataSettings.fromSystem().withProgress(false))
        .withProgress((file, done, total) -> context.progress().update(done, total, "fetching " + file));
    context.progress().update(0, 0, "resolving " + spec.dataset());
    Path files = catalog.resolve(spec.dataset());
    context.progress().log(spec.dataset() + " files verified in " + files);
    return files;
  }

  /** The layout to read: the spec's, else the catalog dataset's, else detected from the folder. */
  SourceFormat format(Path root) {
    if (spec.format() != SourceFormat.AUTO) {
      return spec.format();
    }
    if (!spec.path().isEmpty()) {
      return SourcePlans.detect(root);
    }
    return switch (spec.dataset()) {
      case "mnist", "fashion-mnist" -> SourceFormat.IDX;
      case "coco128" -> SourceFormat.COCO;
      case "bccd" -> SourceFormat.VOC;
      case "isbi-membrane" -> SourceFormat.MASKS;
      default -> throw new IllegalArgumentException("ingest.dataset '" + spec.dataset() + "' has no known layout; "
          + "set ingest.format to one of " + java.util.Arrays.toString(SourceFormat.values()));
    };
  }

  /** Plans a non-IDX dataset: its items and classes. */
  SourcePlan plan(Path root, SourceFormat format) throws IOException {
    boolean catalog = spec.path().isEmpty();
    return switch (format) {
      case COCO -> catalog && spec.dataset().equals("coco128")
          ? SourcePlans.coco(spec.dataset(), root.resolve("annotations/instances_train2017.json"),
              root.resolve("images/train"), "train")
          : SourcePlans.cocoFolder(spec.dataset(), root);
      case YOLO -> catalog && spec.dataset().equals("coco128")
          ? SourcePlans.yolo(spec.dataset(), root.resolve("images/train"), root.resolve("labels/train"), "train",
              SourcePlans.coco(spec.dataset(), root.resolve("annotations/instances_train2017.json"),
                  root.resolve("images/train"), "train").classes())
          : SourcePlans.yoloFolder(spec.dataset(), root);
      case VOC -> catalog && spec.dataset().equals("bccd")
          ? SourcePlans.voc(spec.dataset(), root.resolve("BCCD"), BCCD_CLASSES)
          : SourcePlans.voc(spec.dataset(), root, List.of());
      case IMAGE_FOLDER -> SourcePlans.imageFolder(spec.dataset(), root);
      case MASKS -> catalog && spec.dataset().equals("isbi-membrane")
          ? MaskPairs.isbi(spec.dataset(), root) : MaskPairs.folder(spec.dataset(), root);
      case SHARDS -> shardsPlan(root);
      case IDX, AUTO -> throw new IllegalStateException("format " + format + " is not planned per item");
    };
  }

  private static SourcePlan shardsPlan(Path root) throws IOException {
    DatasetManifest manifest = DatasetManifest.read(root);
    manifest.requireIntact(root);
    List<SourceItem> items = new ArrayList<>();
    manifest.splits().forEach((split, shards) -> {
      for (ShardInfo shard : shards.shards()) {
        items.add(new SourceItem(manifest.dataset() + "/" + shard.file(), split, root.resolve(shard.file())
            .toString(), null, SourceFormat.SHARDS, null, null, null));
      }
    });
    return new SourcePlan(manifest.classes(), items, Map.of());
  }

  private StageResult ingestSources(StageContext context, Path root, SourceFormat format) throws Exception {
    Path out = context.outputDirectory();
    String written = context.outputLocation();
    context.progress().update(0, 0, "planning " + spec.dataset() + " (" + format + ")");
    SourcePlan plan = spec.holdout() == null ? plan(root, format) : plan(root, format).withHoldout(spec.holdout());
    List<SourceShard> shards = format == SourceFormat.SHARDS
        ? reshardNothing(plan)
        : plan.shards(spec.samplesPerShard() > 0 ? spec.samplesPerShard() : 64, spec.limit());
    Map<String, Integer> classIndex = new HashMap<>();
    for (int i = 0; i < plan.classes().size(); i++) {
      classIndex.put(plan.classes().get(i), i);
    }
    context.progress().update(0, shards.size(), "writing " + shards.size() + " shards");
    ShardWriterSettings settings = ShardWriterSettings.of(spec.dataset(), plan.classes()).withRowsPerBatch(64);
    Pipeline pipeline = BeamPipelines.create(context.pipelineArgs());
    SourceDecoder decoder = new SourceDecoder(classIndex, spec.keepEncoded());
    pipeline.apply("Ingest", IngestShards.of(shards, written, settings, decoder, spec.failOnBadInput()));
    BeamPipelines.runToCompletion(pipeline, "ingest of " + spec.dataset());

    DatasetManifest manifest = ShardOutputs.collect(written, spec.dataset(), plan.classes());
    context.progress().update(shards.size(), shards.size(), manifest.totalRows() + " samples");
    StageResult result = StageResult.of(manifest.totalRows());
    for (Map.Entry<String, DatasetManifest.Split> split : manifest.splits().entrySet()) {
      result = result.with(split.getKey() + "_samples", split.getValue().rows());
    }
    for (Map.Entry<String, Long> note : plan.notes().entrySet()) {
      result = result.with(note.getKey(), note.getValue());
    }
    if (format != SourceFormat.IMAGE_FOLDER && manifest.totalRows() > 0) {
      Path png = SampleGrid.writeDatasetPreview(written, null, out.resolve(PREVIEW), 16);
      context.tracker().logArtifact(png, PREVIEW);
    }
    return result;
  }

  /** Existing shards keep their grouping: one element per input shard, written under the same name. */
  private static List<SourceShard> reshardNothing(SourcePlan plan) {
    List<SourceShard> shards = new ArrayList<>();
    for (SourceItem item : plan.items()) {
      String file = item.id().substring(item.id().indexOf('/') + 1);
      shards.add(new SourceShard(item.split(), file, List.of(item)));
    }
    return shards;
  }

  private StageResult ingestIdx(StageContext context, Path files) throws Exception {
    if (spec.holdout() != null) {
      throw new IllegalArgumentException("ingest.holdout works on image datasets, but '" + spec.dataset() + "' is "
          + "IDX; drop ingest.holdout and set train.validation.holdoutFraction instead");
    }
    List<IdxSplit> splits = IdxSplit.of(spec.dataset());
    if (splits == null) {
      throw new IllegalArgumentException("ingest.dataset '" + spec.dataset() + "' is not an IDX dataset; "
          + "known: " + IdxSplit.datasets() + ".");
    }
    // The workers read the IDX files on this machine's file system and write the shards to the output location
    // (a staging folder in the bucket when the artifact root is one).
    String out = context.outputLocation();
    int perShard = spec.samplesPerShard() > 0 ? spec.samplesPerShard() : 10_000;
    List<IdxShardTask> tasks = new ArrayList<>();
    for (IdxSplit split : splits) {
      Path images = files.resolve(split.imagesFile());
      Path labels = files.resolve(split.labelsFile());
      int available = IdxImages.open(images).count();
      if (IdxLabels.open(labels).count() != available) {
        throw new IllegalStateException(images + " has " + available + " images but " + labels + " has "
            + IdxLabels.open(labels).count() + " labels");
      }
      int count = spec.limit() > 0 ? Math.min(spec.limit(), available) : available;
      for (int start = 0, index = 0; start < count; start += perShard, index++) {
        int end = Math.min(count, start + perShard);
        String shard = String.format(Locale.ROOT, "%s/%s-%05d.arrow", split.name(), split.name(), index);
        tasks.add(new IdxShardTask(split.name(), images.toString(), labels.toString(), start, end, shard));
      }
    }
    context.progress().update(0, tasks.size(), "writing " + tasks.size() + " shards");
    List<String> classes = IDX_CLASSES.get(spec.dataset());
    ShardWriterSettings settings = ShardWriterSettings.of(spec.dataset(), classes);
    Pipeline pipeline = BeamPipelines.create(context.pipelineArgs());
    pipeline
        .apply("ShardTasks", Create.of(tasks).withCoder(SerializableCoder.of(IdxShardTask.class)))
        .apply("SpreadTasks", Reshuffle.viaRandomKey())
        .apply("WriteShards", ParDo.of(new WriteIdxShardFn(spec.dataset(), out, settings)));
    BeamPipelines.runToCompletion(pipeline, "ingest of " + spec.dataset());

    DatasetManifest manifest = ShardOutputs.collect(out, spec.dataset(), classes);
    context.progress().update(tasks.size(), tasks.size(), manifest.totalRows() + " samples");
    StageResult result = StageResult.of(manifest.totalRows());
    for (Map.Entry<String, DatasetManifest.Split> split : manifest.splits().entrySet()) {
      result = result.with(split.getKey() + "_samples", split.getValue().rows());
    }
    return result;
  }
}
