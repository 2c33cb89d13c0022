package dev.tessera.runners.cli;

import dev.tessera.pipelines.artifact.Verification;
import dev.tessera.pipelines.exec.RunRecord;
import dev.tessera.pipelines.exec.StageRecord;
import dev.tessera.pipelines.tracking.registry.ModelReference;
import dev.tessera.pipelines.tracking.registry.ModelResolver;
import dev.tessera.pipelines.tracking.registry.ModelVersion;
import dev.tessera.stages.detection.evaluate.EvaluateDetectionSpec;
import dev.tessera.stages.detection.evaluate.PredictImages;
import dev.tessera.stages.detection.train.TrainDetectorSpec;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tessera predict <run-id | model reference> <images...> [--out DIR] [--json]}. */
@Command(name = "predict", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
    description = {"Detects objects in image files with the detector a run trained (its train-detector stage), or "
        + "with a registered model version: champion:<experiment> is the champion of that experiment.",
        "",
        "Each image (JPEG, PNG, BMP or GIF, any size) is letterboxed as in training, detected, and post-processed "
            + "as the evaluate-detection stage does by default; boxes are in the image's own pixels. Writes "
            + "predictions.json (COCO results: image_id 1.. in argument order, category_id = class id, bbox "
            + "[x, y, width, height], score), images.json (each id's file and size) and one PNG per image with "
            + "the boxes drawn, and prints the folder."},
    footer = {"", "Examples:", "  tessera predict 20261206-100259-afe785 cells.jpg",
        "  tessera predict 20261206-100259-afe785 a.jpg b.png --out predictions --json",
        "  tessera predict champion:bccd-yolo cells.jpg",
        "  tessera predict models:/bccd-yolo/3 cells.jpg"})
final class PredictCommand implements Callable<Integer> {
  private final Workspace workspace;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN-ID|MODEL", description = "A run with a train-detector stage (see "
      + "'tessera runs'), or a registered version: champion:<experiment> (any alias), models:/<model>@<alias> or "
      + "models:/<model>/<version>.")
  String runId;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE", description = "Image files.")
  List<Path> images = new ArrayList<>();

  @Option(names = "--out", paramLabel = "DIR",
      description = "Output folder (default: $TESSERA_HOME/predictions/<run-id>).")
  Path out;

  @Option(names = "--json", description = "Also print the COCO results on standard output.")
  boolean json;

  @Inject
  PredictCommand(Workspace workspace) {
    this.workspace = workspace;
  }

  @Override
  public Integer call() throws IOException {
    boolean registered = runId.contains(":"); // run ids never hold one; every model reference does
    Path modelDir = registered ? registeredDetector(runId) : detectorOf(workspace.runs().load(runId).orElseThrow(
        () -> new UsageException("No run '" + runId + "' in " + workspace.home() + ". Recent runs: "
            + workspace.runs().list(null).stream().limit(5).map(r -> r.runId).toList() + " (see 'tessera runs').")));
    for (Path image : images) {
      if (!Files.isRegularFile(image)) {
        throw new UsageException("Image '" + image + "' is not a file. Give paths of JPEG, PNG, BMP or GIF files.");
      }
    }
    Path folder = out != null ? out : workspace.home().resolve("predictions").resolve(
        registered ? runId.replaceAll("[^A-Za-z0-9._-]+", "_") : runId);
    EvaluateDetectionSpec evaluation = EvaluateDetectionSpec.defaults();
    PredictImages.Result result;
    try {
      result = PredictImages.run(modelDir, images, evaluation.nms(), evaluation.drawScore(), folder);
    } catch (IOException e) {
      throw new UsageException(e.getMessage());
    }
    PrintWriter writer = spec.commandLine().getOut();
    if (json) {
      writer.println(Files.readString(folder.resolve(PredictImages.PREDICTIONS)));
    } else {
      for (PredictImages.Image image : result.images()) {
        writer.println(image.file() + ": " + image.detections() + " boxes (image_id " + image.id() + ", "
            + folder.resolve(image.drawn()) + ")");
      }
      writer.println(folder.toAbsolutePath());
    }
    writer.flush();
    return Main.OK;
  }

  /**
   * The detector of a registered version: the train-detector stage of the Tessera run that registered it when that
   * run is in this home, otherwise the version's files from the registry.
   */
  private Path registeredDetector(String text) {
    ModelResolver resolver = new ModelResolver(workspace.registry(), workspace.home().resolve("models"));
    ModelReference reference;
    ModelVersion version;
    try {
      reference = ModelReference.parse(text);
      version = resolver.version(reference);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    Optional<RunRecord> run = workspace.runs().list(null).stream()
        .filter(r -> version.runId().equals(r.trackedRunId)).findFirst();
    if (run.isPresent()) {
      return detectorOf(run.get());
    }
    try {
      return resolver.resolve(reference).directory();
    } catch (IllegalStateException e) {
      throw new UsageException(reference + " is version " + version.version() + " of '" + version.name()
          + "', registered by MLflow run " + version.runId() + ", which no run in " + workspace.home()
          + " tracked, and " + e.getMessage() + " Predict with the run id instead, or set TESSERA_HOME to the "
          + "home that trained it.");
    }
  }

  /** The model directory of the run's train-detector stage, verified in the artifact store. */
  private Path detectorOf(RunRecord run) {
    for (Map.Entry<String, StageRecord> stage : run.stages.entrySet()) {
      if (TrainDetectorSpec.KIND.equals(stage.getValue().kind) && stage.getValue().cacheKey != null) {
        Verification verification = workspace.store().verify(stage.getValue().cacheKey);
        if (verification.usable() && verification.artifact().isPresent()) {
          return verification.artifact().get().directory();
        }
        throw new UsageException("The detector of run '" + run.runId + "' (stage " + stage.getKey()
            + ") is missing or damaged in " + workspace.home() + "; run the experiment again: tessera run "
            + run.experiment);
      }
    }
    throw new UsageException("Run '" + run.runId + "' of '" + run.experiment + "' has no finished "
        + TrainDetectorSpec.KIND + " stage; predict needs a detector run such as 'tessera run bccd-yolo'.");
  }
}
