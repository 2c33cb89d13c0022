package dev.tessera.stages.segmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.testing.PythonEnv;
import dev.tessera.stages.evaluate.ConfusionMatrix;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The segmentation metrics equal scikit-learn's ({@code accuracy_score}, {@code jaccard_score}, {@code f1_score},
 * {@code confusion_matrix}) within 1e-9 on seeded random masks, and give the same numbers however the masks are
 * sharded and merged, in a Beam pipeline too.
 */
class SegmentationMetricsTest {
  private static final double TOLERANCE = 1e-9;

  @TempDir Path dir;

  /** Random masks of varied sizes; {@code skew} makes class 0 dominate; class {@code absent} never occurs. */
  private static List<MaskPair> masks(long seed, int classes, int count, boolean skew, int absent) {
    SplittableRandom random = new SplittableRandom(seed);
    List<MaskPair> pairs = new ArrayList<>();
    for (int m = 0; m < count; m++) {
      int pixels = 50 + random.nextInt(400);
      byte[] actual = new byte[pixels];
      byte[] predicted = new byte[pixels];
      for (int i = 0; i < pixels; i++) {
        actual[i] = draw(random, classes, skew, absent);
        // Right about 70% of the time, otherwise a random class.
        predicted[i] = random.nextDouble() < 0.7 ? actual[i] : draw(random, classes, skew, absent);
      }
      pairs.add(new MaskPair("case/" + m, actual, predicted));
    }
    return pairs;
  }

  private static byte draw(SplittableRandom random, int classes, boolean skew, int absent) {
    while (true) {
      int c = skew && random.nextDouble() < 0.8 ? 0 : random.nextInt(classes);
      if (c != absent) {
        return (byte) c;
      }
    }
  }

  private static SegmentationReport report(List<String> classes, List<MaskPair> pairs) {
    SegmentationMetrics metrics = SegmentationMetrics.of(classes);
    ConfusionMatrix accumulator = metrics.createAccumulator();
    for (MaskPair pair : pairs) {
      accumulator = metrics.addInput(accumulator, pair);
    }
    return metrics.extractOutput(accumulator);
  }

  private static List<String> names(int classes) {
    List<String> names = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      names.add("class " + c);
    }
    return names;
  }

  @Test
  void equalScikitLearnOnSeededRandomMasks() throws Exception {
    Map<String, List<MaskPair>> cases = new LinkedHashMap<>();
    Map<String, Integer> classCounts = new LinkedHashMap<>();
    cases.put("binary", masks(1, 2, 6, false, -1));
    classCounts.put("binary", 2);
    cases.put("binary-skewed", masks(2, 2, 5, true, -1));
    classCounts.put("binary-skewed", 2);
    cases.put("five-classes", masks(3, 5, 8, true, -1));
    classCounts.put("five-classes", 5);
    cases.put("class-3-absent", masks(4, 5, 4, false, 3));
    classCounts.put("class-3-absent", 5);
    List<Map<String, Object>> json = new ArrayList<>();
    for (Map.Entry<String, List<MaskPair>> c : cases.entrySet()) {
      List<Integer> actual = new ArrayList<>();
      List<Integer> predicted = new ArrayList<>();
      for (MaskPair pair : c.getValue()) {
        for (int i = 0; i < pair.actual().length; i++) {
          actual.add((int) pair.actual()[i]);
          predicted.add((int) pair.predicted()[i]);
        }
      }
      json.add(Map.of("name", c.getKey(), "classes", classCounts.get(c.getKey()), "actual", actual,
          "predicted", predicted));
    }
    ObjectMapper mapper = new ObjectMapper();
    Path file = dir.resolve("cases.json");
    mapper.writeValue(file.toFile(), json);
    Path script = dir.resolve("sklearn_segmentation_metrics.py");
    try (InputStream in = getClass().getClassLoader()
        .getResourceAsStream("python/sklearn_segmentation_metrics.py")) {
      Files.copy(in, script);
    }
    JsonNode expected = mapper.readTree(PythonEnv.get().run(script, List.of(file.toString()), Map.of()));

    for (Map.Entry<String, List<MaskPair>> c : cases.entrySet()) {
      String name = c.getKey();
      JsonNode e = expected.get(name);
      SegmentationReport r = report(names(classCounts.get(name)), c.getValue());
      assertEquals(e.get("accuracy").asDouble(), r.pixelAccuracy(), TOLERANCE, name + " accuracy");
      long[][] counts = r.confusion().counts();
      for (int a = 0; a < counts.length; a++) {
        for (int p = 0; p < counts.length; p++) {
          assertEquals(e.get("confusion").get(a).get(p).asLong(), counts[a][p], name + " confusion " + a + "," + p);
        }
      }
      JsonNode present = e.get("present");
      for (int i = 0; i < present.size(); i++) {
        int cls = present.get(i).asInt();
        assertEquals(e.get("iou").get(i).asDouble(), r.iou(cls), TOLERANCE, name + " IoU of class " + cls);
        assertEquals(e.get("dice").get(i).asDouble(), r.dice(cls), TOLERANCE, name + " Dice of class " + cls);
      }
      assertEquals(e.get("mean_iou").asDouble(), r.meanIou(), TOLERANCE, name + " mean IoU");
      assertEquals(e.get("mean_dice").asDouble(), r.meanDice(), TOLERANCE, name + " mean Dice");
    }
    SegmentationReport absent = report(names(5), cases.get("class-3-absent"));
    assertTrue(Double.isNaN(absent.iou(3)), "a class neither present nor predicted has no IoU");
    assertTrue(!absent.summary().containsKey("iou_class_3") && absent.summary().containsKey("iou_class_4"),
        absent.summary().toString());
  }

  @Test
  void shardingAndMergeOrderGiveTheSameReport() {
    List<MaskPair> pairs = masks(5, 3, 9, true, -1);
    SegmentationMetrics metrics = SegmentationMetrics.of(names(3));
    SegmentationReport whole = report(names(3), pairs);
    List<ConfusionMatrix> shards = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      ConfusionMatrix accumulator = metrics.createAccumulator();
      for (int i = s; i < pairs.size(); i += 3) {
        accumulator = metrics.addInput(accumulator, pairs.get(i));
      }
      shards.add(accumulator);
    }
    SegmentationReport merged = metrics.extractOutput(metrics.mergeAccumulators(shards));
    SegmentationReport reversed = metrics.extractOutput(metrics.mergeAccumulators(List.of(shards.get(2),
        metrics.mergeAccumulators(List.of(shards.get(1), shards.get(0))), metrics.createAccumulator())));
    assertEquals(whole.confusion(), merged.confusion());
    assertEquals(whole.summary(), merged.summary());
    assertEquals(whole.summary(), reversed.summary());
  }

  @Test
  void aBeamCombineGivesTheSameReport() {
    List<MaskPair> pairs = masks(6, 2, 12, false, -1);
    SegmentationReport direct = report(names(2), pairs);
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<SegmentationReport> out = p
        .apply(Create.of(pairs).withCoder(SerializableCoder.of(MaskPair.class)))
        .apply(Combine.globally(SegmentationMetrics.of(names(2))));
    PAssert.thatSingleton(out).satisfies(report -> {
      assertEquals(direct.confusion(), report.confusion());
      assertEquals(direct.summary(), report.summary());
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void aClassOutsideTheListIsRejectedNamingThePixel() {
    SegmentationMetrics metrics = SegmentationMetrics.of(names(2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> metrics.addInput(
        metrics.createAccumulator(), new MaskPair("img/1", new byte[] {0, 1, 2}, new byte[] {0, 1, 1})));
    assertEquals("mask pair 'img/1': pixel 2 has class 2 in its actual mask, but there are only 2 classes "
        + "[class 0, class 1]", e.getMessage());
  }
}
