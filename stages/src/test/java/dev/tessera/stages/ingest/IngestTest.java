package dev.tessera.stages.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.data.ShardReader;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.testing.Engine;
import dev.tessera.transforms.sample.Sample;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest stage end to end on the DirectRunner (checks on), on fixtures, with fault injection. */
class IngestTest {
  @TempDir Path tmp;

  private RunResult ingest(Ingest stage) {
    Engine engine = new Engine(tmp.resolve("home"));
    engine.options = engine.options.withPipelineArgs(List.of("--runner=DirectRunner",
        "--enforceImmutability=true", "--enforceEncodability=true"));
    return engine.run(Experiment.named("ingest-test").stage("ingest", stage).build());
  }

  static Map<String, Sample> samples(Path dir) throws Exception {
    Map<String, Sample> out = new TreeMap<>();
    DatasetManifest manifest = DatasetManifest.read(dir);
    manifest.requireIntact(dir);
    for (var shard : manifest.shards()) {
      try (ShardReader reader = ShardReader.open(dir.resolve(shard.file()))) {
        Iterator<Sample> it = reader.samples();
        while (it.hasNext()) {
          Sample s = it.next();
          out.put(s.id(), s);
        }
      }
    }
    return out;
  }

  @Test
  void ingestsAVocFolderWithSplitsAndAPreview() throws Exception {
    RunResult result = ingest(Ingest.local("toy", IngestFixtures.voc(tmp.resolve("voc")).toString())
        .samplesPerShard(1));
    assertEquals(RunOutcome.SUCCEEDED, result.status(), result.run().stages.toString());
    Artifact artifact = result.artifacts().get("ingest");
    assertEquals(List.of("toy/test/c", "toy/train/a", "toy/train/b"), List.copyOf(samples(artifact.directory())
        .keySet()));
    assertEquals(List.of("cat", "dog"), DatasetManifest.read(artifact.directory()).classes());
    assertEquals(0.0, result.summary("ingest", "dead_letter"));
    assertEquals("", Files.readString(artifact.resolve(DeadLetter.FILE_NAME)), "checked, nothing bad");
    BufferedImage preview = ImageIO.read(artifact.resolve(Ingest.PREVIEW).toFile());
    assertTrue(preview.getWidth() > 100, "a decodable PNG grid");
  }

  /**
   * Corrupts copies of a few files (a truncated JPEG, a garbled XML, an added zero-area box, a missing image) and
   * checks that exactly those reach the dead-letter output, with reasons, and that everything else is intact.
   */
  @Test
  void faultInjectionSendsExactlyTheCorruptedInputToTheDeadLetterFile() throws Exception {
    Path root = tmp.resolve("voc");
    List<String> names = new ArrayList<>();
    StringBuilder train = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      String name = String.format("img%02d", i);
      names.add(name);
      IngestFixtures.image(root.resolve("JPEGImages/" + name + ".jpg"), 64, 48, "jpg");
      IngestFixtures.text(root.resolve("Annotations/" + name + ".xml"),
          IngestFixtures.vocXml(name + ".jpg", 64, 48, "cat 8 8 24 24", "dog 30 10 60 40"));
      train.append(name).append('\n');
    }
    IngestFixtures.text(root.resolve("ImageSets/Main/train.txt"), train.toString());
    Path truncated = root.resolve("JPEGImages/img02.jpg");
    byte[] jpeg = Files.readAllBytes(truncated);
    Files.write(truncated, Arrays.copyOf(jpeg, jpeg.length * 2 / 3));
    Files.writeString(root.resolve("Annotations/img05.xml"), "<annotation><object><name>cat</name><bndbox>");
    IngestFixtures.text(root.resolve("Annotations/img07.xml"),
        IngestFixtures.vocXml("img07.jpg", 64, 48, "cat 8 8 24 24", "cat 20 20 20 30", "dog 30 10 60 40"));
    Files.delete(root.resolve("JPEGImages/img09.jpg"));

    RunResult result = ingest(Ingest.local("toy", root.toString()).samplesPerShard(3));
    assertEquals(RunOutcome.SUCCEEDED, result.status(), result.run().stages.toString());
    Path dir = result.artifacts().get("ingest").directory();

    List<DeadLetter> letters = DeadLetters.read(dir);
    assertEquals(List.of("toy/train/img02", "toy/train/img05", "toy/train/img07", "toy/train/img09"),
        letters.stream().map(DeadLetter::id).toList());
    assertEquals(List.of("sample", "sample", "box", "sample"), letters.stream().map(DeadLetter::scope).toList());
    assertTrue(letters.get(0).reason().contains("truncated") || letters.get(0).reason().contains("corrupt"),
        letters.get(0).reason());
    assertTrue(letters.get(1).reason().startsWith("unparsable VOC XML"), letters.get(1).reason());
    assertTrue(letters.get(2).reason().contains("zero or negative area"), letters.get(2).reason());
    assertTrue(letters.get(3).reason().contains("is missing"), letters.get(3).reason());
    assertEquals(4.0, result.summary("ingest", "dead_letter"));
    assertEquals(3.0, result.summary("ingest", "dead_letter_samples"));

    Map<String, Sample> samples = samples(dir);
    List<String> expected = new ArrayList<>(names);
    expected.removeAll(List.of("img02", "img05", "img09"));
    assertEquals(expected.stream().map(n -> "toy/train/" + n).toList(), List.copyOf(samples.keySet()));
    assertEquals(7.0, result.summary("ingest", "train_samples"));
    for (Sample s : samples.values()) {
      assertEquals(2, s.boxes().size(), s.id() + ": the zero-area box of img07 is the only box left out");
    }
  }

  @Test
  void aMissingLocalFolderFailsNamingTheSettingToFixIt() {
    RunResult result = ingest(Ingest.local("digits", tmp.resolve("nowhere").toString()));
    assertEquals(RunOutcome.FAILED, result.status());
    String error = result.run().stages.get("ingest").error;
    assertTrue(error.contains("ingest.path '" + tmp.resolve("nowhere") + "' is not a folder")
        && error.contains("--set ingest.path=/path/to/digits"), error);
  }

  @Test
  void failOnBadInputFailsTheStageNamingTheSample() throws Exception {
    Path root = IngestFixtures.voc(tmp.resolve("voc"));
    Files.writeString(root.resolve("Annotations/b.xml"), "garbled");
    RunResult result = ingest(Ingest.local("toy", root.toString()).failOnBadInput());
    assertEquals(RunOutcome.FAILED, result.status());
    String error = result.run().stages.get("ingest").error;
    assertTrue(error.contains("ingest.failOnBadInput is set, and sample of 'toy/train/b' is bad: unparsable VOC XML"),
        error);
  }

  @Test
  void ingestsCocoYoloAndImageFoldersAndExistingShards() throws Exception {
    RunResult coco = ingest(Ingest.local("toy", IngestFixtures.coco(tmp.resolve("coco")).toString()));
    assertEquals(RunOutcome.SUCCEEDED, coco.status(), coco.run().stages.toString());
    assertEquals(List.of("toy/train/x", "toy/train/y"), List.copyOf(samples(coco.artifacts().get("ingest")
        .directory()).keySet()));
    assertEquals(1.0, coco.summary("ingest", "dead_letter"), "z.jpg is listed but missing");
    assertEquals(1.0, coco.summary("ingest", "crowd_boxes_skipped"));

    RunResult yolo = ingest(Ingest.local("toy", IngestFixtures.yolo(tmp.resolve("yolo")).toString()));
    assertEquals(RunOutcome.SUCCEEDED, yolo.status(), yolo.run().stages.toString());
    assertEquals(2.0, yolo.summary("ingest", "train_samples"));
    assertEquals(1.0, yolo.summary("ingest", "dead_letter"), "r.txt has no image");
    assertEquals(1.0, yolo.summary("ingest", "unlabeled_images"));

    RunResult folders = ingest(Ingest.local("toy", IngestFixtures.folders(tmp.resolve("folders")).toString()));
    assertEquals(4.0, folders.summary("ingest", "train_samples"));

    Path shards = coco.artifacts().get("ingest").directory();
    RunResult again = ingest(Ingest.local("toy", shards.toString()));
    assertEquals(RunOutcome.SUCCEEDED, again.status(), again.run().stages.toString());
    assertEquals(samples(shards), samples(again.artifacts().get("ingest").directory()));
  }
}
