package dev.tessera.stages.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.testing.Engine;
import dev.tessera.transforms.sample.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real coco128 and BCCD through the catalog's offline mirror; skipped where TESSERA_DATA_MIRROR is not set. */
class DetectionDataIT {
  @TempDir Path tmp;

  private RunResult ingest(Ingest stage, String dataset) {
    String mirror = System.getenv("TESSERA_DATA_MIRROR");
    assumeTrue(mirror != null && Files.isDirectory(Path.of(mirror, dataset)),
        "TESSERA_DATA_MIRROR is not set or has no " + dataset + "/: this test reads the real dataset from the mirror");
    Engine engine = new Engine(tmp.resolve("home"));
    engine.options = engine.options.withPipelineArgs(List.of("--runner=DirectRunner"));
    RunResult result = engine.run(Experiment.named("data").stage("ingest", stage).build());
    assertEquals(RunOutcome.SUCCEEDED, result.status(), result.run().stages.toString());
    return result;
  }

  private static int boxes(Map<String, Sample> samples) {
    return samples.values().stream().mapToInt(s -> s.boxes().size()).sum();
  }

  @Test
  void bccdHasItsOfficialSplitAndTheTwoZeroAreaBoxesInTheDeadLetterFile() throws Exception {
    RunResult result = ingest(Ingest.dataset("bccd"), "bccd");
    Path dir = result.artifacts().get("ingest").directory();
    Map<String, Sample> samples = IngestTest.samples(dir);
    assertEquals(364, samples.size());
    assertEquals(205.0, result.summary("ingest", "train_samples"));
    assertEquals(87.0, result.summary("ingest", "val_samples"));
    assertEquals(72.0, result.summary("ingest", "test_samples"));
    assertEquals(4888 - 2, boxes(samples));
    List<DeadLetter> letters = DeadLetters.read(dir);
    assertEquals(2, letters.size(), letters.toString());
    assertEquals(List.of("bccd/train/BloodImage_00343", "bccd/val/BloodImage_00338"),
        letters.stream().map(DeadLetter::id).toList());
    letters.forEach(l -> assertEquals(DeadLetter.BOX, l.scope()));
    letters.forEach(l -> assertTrue(l.reason().contains("zero or negative area"), l.reason()));
    Sample first = samples.get("bccd/train/BloodImage_00001");
    assertEquals(480, first.height());
    assertEquals(640, first.width());
    assertTrue(Files.size(dir.resolve(Ingest.PREVIEW)) > 0);
  }

  @Test
  void coco128FromCocoJsonHasAll128ImagesAndNoDeadLetters() throws Exception {
    RunResult result = ingest(Ingest.dataset("coco128"), "coco128");
    Map<String, Sample> samples = IngestTest.samples(result.artifacts().get("ingest").directory());
    assertEquals(128, samples.size());
    assertEquals(939 - 10, boxes(samples), "crowd annotations are left out and counted");
    assertEquals(10.0, result.summary("ingest", "crowd_boxes_skipped"));
    assertEquals(0.0, result.summary("ingest", "dead_letter"));
    assertTrue(samples.values().stream().allMatch(s -> s.channels() == 3), "the grayscale image is RGB too");
  }

  @Test
  void coco128FromYoloLabelsReportsTheOrphanLabelsAndUnlabeledImages() throws Exception {
    RunResult result = ingest(Ingest.dataset("coco128").format(SourceFormat.YOLO), "coco128");
    Path dir = result.artifacts().get("ingest").directory();
    Map<String, Sample> samples = IngestTest.samples(dir);
    assertEquals(128, samples.size());
    assertEquals(2.0, result.summary("ingest", "unlabeled_images"));
    List<DeadLetter> letters = DeadLetters.read(dir);
    assertEquals(List.of("coco128/train/000000000656", "coco128/train/000000000659"),
        letters.stream().map(DeadLetter::id).toList());
    assertTrue(letters.get(0).reason().startsWith("label file 000000000656.txt has no image"), letters.toString());
    assertEquals(0, samples.get("coco128/train/000000000250").boxes().size());
  }
}
