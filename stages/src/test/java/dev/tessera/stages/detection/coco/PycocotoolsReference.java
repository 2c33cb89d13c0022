package dev.tessera.stages.detection.coco;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.testing.PythonEnv;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/** Runs pycocotools (test resource {@code detection/coco/cocoeval_reference.py}) and compares its numbers. */
final class PycocotoolsReference {
  private PycocotoolsReference() {}

  /** pycocotools' output for a GT and a result file: {@code {stats: [12], per_category: {id: {ap, ap50}}}}. */
  static JsonNode evaluate(Path gt, Path dets, Path workDir) throws IOException {
    Path script = workDir.resolve("cocoeval_reference.py");
    try (InputStream in = resource("detection/coco/cocoeval_reference.py")) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    String out = PythonEnv.get().run(script, List.of(gt.toString(), dets.toString()), Map.of());
    return new ObjectMapper().readTree(out);
  }

  /** Copies a test resource to a file, for tools that need a path. */
  static Path copy(String name, Path dir) throws IOException {
    Path file = dir.resolve(Path.of(name).getFileName());
    try (InputStream in = resource(name)) {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }

  private static InputStream resource(String name) {
    InputStream in = PycocotoolsReference.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException(name + " is missing from the test class path");
    }
    return in;
  }

  /** Asserts all 12 numbers and the per-category APs within {@code tolerance}; returns the largest difference. */
  static double assertMatches(JsonNode reference, CocoSummary summary, double tolerance) {
    double worst = 0;
    double[] stats = summary.stats();
    for (CocoMetric metric : CocoMetric.values()) {
      double expected = reference.get("stats").get(metric.ordinal()).asDouble();
      assertEquals(expected, stats[metric.ordinal()], tolerance, metric.key());
      worst = Math.max(worst, Math.abs(expected - stats[metric.ordinal()]));
    }
    JsonNode perCategory = reference.get("per_category");
    assertEquals(perCategory.size(), summary.categoryAp().size(), "categories with ground truth");
    for (Map.Entry<Integer, Double> e : summary.categoryAp().entrySet()) {
      JsonNode ref = perCategory.get(Integer.toString(e.getKey()));
      assertEquals(ref.get("ap").asDouble(), e.getValue(), tolerance, "AP of category " + e.getKey());
      assertEquals(ref.get("ap50").asDouble(), summary.categoryAp50().get(e.getKey()), tolerance,
          "AP50 of category " + e.getKey());
    }
    return worst;
  }
}
