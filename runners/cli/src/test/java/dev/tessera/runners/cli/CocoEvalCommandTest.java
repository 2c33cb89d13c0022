package dev.tessera.runners.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.runners.cli.InProcessTessera.Result;
import dev.tessera.stages.detection.coco.CocoMetric;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tessera coco-eval} in process on a hand-made fixture, against numbers pycocotools printed for it. */
class CocoEvalCommandTest {
  /** pycocotools 2.0.11's COCOeval.stats for coco-eval/fixture_gt.json and fixture_dets.json. */
  private static final double[] PYCOCOTOOLS = {0.4991759890274742, 0.6801247432435552, 0.5564151195339314,
      0.47656765676567653, 0.667986798679868, 0.7504950495049505, 0.33249999999999996, 0.6100000000000001,
      0.7100000000000001, 0.675, 0.8, 0.75};
  /** The lines pycocotools 2.0.11's summarize() printed for the fixture. */
  private static final List<String> PYCOCOTOOLS_LINES = List.of(
      " Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.499",
      " Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ] = 0.680",
      " Average Precision  (AP) @[ IoU=0.75      | area=   all | maxDets=100 ] = 0.556",
      " Average Precision  (AP) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = 0.477",
      " Average Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = 0.668",
      " Average Precision  (AP) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = 0.750",
      " Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ] = 0.332",
      " Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets= 10 ] = 0.610",
      " Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.710",
      " Average Recall     (AR) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = 0.675",
      " Average Recall     (AR) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = 0.800",
      " Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = 0.750");

  @TempDir Path dir;
  private Path gt;
  private Path dets;

  @BeforeEach
  void copyFixture() throws Exception {
    gt = copy("coco-eval/fixture_gt.json");
    dets = copy("coco-eval/fixture_dets.json");
  }

  private Path copy(String resource) throws Exception {
    Path file = dir.resolve(Path.of(resource).getFileName());
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
      Files.copy(in, file);
    }
    return file;
  }

  private Result tessera(String... args) {
    return InProcessTessera.run(dir.resolve("home"), args);
  }

  @Test
  void printsTheTwelveSummaryLinesAsPycocotoolsDoes() {
    Result result = tessera("coco-eval", gt.toString(), dets.toString());
    assertEquals(0, result.exitCode(), result.err());
    // AR@1 is 0.33249999999999996: printed 0.332 as Python rounds, not 0.333
    assertEquals(PYCOCOTOOLS_LINES, result.out().lines().toList());
  }

  @Test
  void jsonHasTheDocumentedKeysWithPycocotoolsValues() throws Exception {
    Result result = tessera("coco-eval", gt.toString(), dets.toString(), "--json");
    assertEquals(0, result.exitCode(), result.err());
    JsonNode json = new ObjectMapper().readTree(result.out());
    List<String> keys = new ArrayList<>();
    json.fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("AP@[.50:.95]|all|100", "AP@.50|all|100", "AP@.75|all|100", "AP@[.50:.95]|small|100",
        "AP@[.50:.95]|medium|100", "AP@[.50:.95]|large|100", "AR@[.50:.95]|all|1", "AR@[.50:.95]|all|10",
        "AR@[.50:.95]|all|100", "AR@[.50:.95]|small|100", "AR@[.50:.95]|medium|100", "AR@[.50:.95]|large|100"),
        keys);
    for (int i = 0; i < PYCOCOTOOLS.length; i++) {
      assertEquals(PYCOCOTOOLS[i], json.get(keys.get(i)).asDouble(), 1e-12, keys.get(i));
    }
    String help = tessera("coco-eval", "--help").out();
    for (CocoMetric metric : CocoMetric.values()) {
      assertTrue(help.contains(metric.key()), metric.key() + " documented in\n" + help);
    }
    assertTrue(tessera("--help").out().contains("\n  coco-eval "), "listed in tessera --help");
  }

  @Test
  void badInputExitsTwoNamingTheFileAndTheProblem() throws Exception {
    Path missing = dir.resolve("missing.json");
    Result noFile = tessera("coco-eval", gt.toString(), missing.toString());
    assertEquals(2, noFile.exitCode());
    assertEquals("error: " + missing + ": no such file. Check the path.", noFile.err().strip());

    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"images\": [");
    Result unparsable = tessera("coco-eval", broken.toString(), dets.toString());
    assertEquals(2, unparsable.exitCode());
    assertTrue(unparsable.err().startsWith("error: " + broken + ": not valid JSON: "), unparsable.err());

    Path stranger = dir.resolve("stranger.json");
    Files.writeString(stranger, "[{\"image_id\": 42, \"category_id\": 1, \"bbox\": [0, 0, 5, 5], \"score\": 0.5}]");
    Result unknownImage = tessera("coco-eval", gt.toString(), stranger.toString());
    assertEquals(2, unknownImage.exitCode());
    assertEquals("error: " + stranger + ": detection 0 has image_id 42, which is not among the ground truth's 5"
        + " images. Evaluate against the ground truth the detections were made for.", unknownImage.err().strip());
  }
}
