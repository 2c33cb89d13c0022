package dev.tessera.runners.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.stages.detection.coco.CocoDetection;
import dev.tessera.stages.detection.coco.CocoEvaluator;
import dev.tessera.stages.detection.coco.CocoFormatException;
import dev.tessera.stages.detection.coco.CocoGroundTruth;
import dev.tessera.stages.detection.coco.CocoJson;
import dev.tessera.stages.detection.coco.CocoSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tessera coco-eval GT.json DETS.json [--json]}. */
@Command(name = "coco-eval", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
    description = {"Evaluates COCO-format detections against COCO ground truth and prints the 12 numbers of "
        + "pycocotools' COCOeval summary (iouType bbox): AP at IoU .50:.95, .50 and .75, AP by object size, AR at "
        + "1, 10 and 100 detections per image, and AR by object size.",
        "",
        "Same rules as pycocotools: crowd regions are ignored, categories without ground truth do not count, -1 "
            + "means nothing to measure. A detection whose image_id is not in GT.json is an error (exit 2)."},
    footer = {"", "Keys of the --json object, in pycocotools' order (kind@IoU|area|maxDets):",
        "  AP@[.50:.95]|all|100  AP@.50|all|100  AP@.75|all|100",
        "  AP@[.50:.95]|small|100  AP@[.50:.95]|medium|100  AP@[.50:.95]|large|100",
        "  AR@[.50:.95]|all|1  AR@[.50:.95]|all|10  AR@[.50:.95]|all|100",
        "  AR@[.50:.95]|small|100  AR@[.50:.95]|medium|100  AR@[.50:.95]|large|100",
        "", "Examples:", "  tessera coco-eval instances_val2017.json detections.json",
        "  tessera coco-eval instances_val2017.json detections.json --json"})
final class CocoEvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "GT.json",
      description = "COCO ground truth: {images, categories, annotations}.")
  Path groundTruth;

  @Parameters(index = "1", paramLabel = "DETS.json",
      description = "COCO results: [{image_id, category_id, bbox: [x, y, w, h], score}].")
  Path detections;

  @Option(names = "--json", description = "Print one JSON object with the 12 numbers (keys below) instead of the "
      + "summary lines.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    CocoGroundTruth gt = read(() -> CocoJson.readGroundTruth(groundTruth));
    List<CocoDetection> dets = read(() -> CocoJson.readDetections(detections));
    CocoSummary summary;
    try {
      summary = CocoEvaluator.evaluate(gt, dets);
    } catch (IllegalArgumentException e) {
      throw new UsageException(detections + ": " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(summary.byKey()));
    } else {
      out.println(summary);
    }
    return Main.OK;
  }

  private static <T> T read(Callable<T> reader) throws Exception {
    try {
      return reader.call();
    } catch (CocoFormatException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
