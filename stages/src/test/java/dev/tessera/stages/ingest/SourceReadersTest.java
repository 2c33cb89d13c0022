package dev.tessera.stages.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.transforms.sample.Box;
import dev.tessera.transforms.sample.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layout readers and the decoder on tiny fixtures with known boxes, without Beam. */
class SourceReadersTest {
  @TempDir Path tmp;

  private static SourceItem item(SourcePlan plan, String id) {
    return plan.items().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow(
        () -> new AssertionError(id + " not in " + plan.items().stream().map(SourceItem::id).toList()));
  }

  private static Map<String, Integer> index(List<String> classes) {
    java.util.Map<String, Integer> map = new java.util.HashMap<>();
    for (int i = 0; i < classes.size(); i++) {
      map.put(classes.get(i), i);
    }
    return map;
  }

  @Test
  void readsVocBoxesAndOfficialSplits() throws Exception {
    SourcePlan plan = SourcePlans.voc("toy", IngestFixtures.voc(tmp.resolve("voc")), List.of("cat", "dog"));
    assertEquals(List.of("toy/train/a", "toy/train/b", "toy/test/c"),
        plan.items().stream().map(SourceItem::id).toList());
    Sample a = new SourceDecoder(index(plan.classes()), false).decode(item(plan, "toy/train/a")).sample();
    assertEquals(List.of(new Box(8, 8, 24, 24, 0), new Box(30, 10, 60, 40, 1)), a.boxes());
    assertEquals("train", a.split());
    assertEquals(3, a.channels());
    assertEquals(48, a.height());
  }

  @Test
  void discoversVocClassNamesWhenNoneAreGiven() throws Exception {
    assertEquals(List.of("cat", "dog"), SourcePlans.voc("toy", IngestFixtures.voc(tmp.resolve("voc")), List.of())
        .classes());
  }

  @Test
  void vocSizeThatDiffersFromTheImageIsBadInput() throws Exception {
    Path root = IngestFixtures.voc(tmp.resolve("voc"));
    IngestFixtures.text(root.resolve("Annotations/b.xml"), IngestFixtures.vocXml("b.jpg", 640, 480, "dog 0 0 5 5"));
    SourcePlan plan = SourcePlans.voc("toy", root, List.of("cat", "dog"));
    BadInputException e = assertThrows(BadInputException.class,
        () -> new SourceDecoder(index(plan.classes()), false).decode(item(plan, "toy/train/b")));
    assertEquals("annotation says the image is 640x480, but it is 64x48", e.getMessage());
  }

  @Test
  void readsCocoBoxesAsCornersWithContiguousClassIdsAndGrayAsRgb() throws Exception {
    Path root = IngestFixtures.coco(tmp.resolve("coco"));
    SourcePlan plan = SourcePlans.cocoFolder("toy", root);
    assertEquals(List.of("person", "car", "train"), plan.classes(), "category ids 1, 3, 7 in id order");
    assertEquals(1L, plan.notes().get("crowd_boxes_skipped"));
    SourceDecoder decoder = new SourceDecoder(index(plan.classes()), true);

    Sample x = decoder.decode(item(plan, "toy/train/x")).sample();
    assertEquals(List.of(new Box(2, 4, 12, 24, 0), new Box(30, 5, 50, 35, 2)), x.boxes());
    assertNotNull(x.encoded(), "keepEncoded keeps the JPEG bytes");

    Sample y = decoder.decode(item(plan, "toy/train/y")).sample();
    assertEquals(List.of(new Box(0, 0, 32, 32, 1)), y.boxes());
    assertEquals(3, y.channels());
    byte[] expected = new byte[32 * 32 * 3];
    Arrays.fill(expected, (byte) 77);
    assertTrue(Arrays.equals(expected, y.pixels()), "gray 77 becomes RGB (77, 77, 77), not a gamma-mapped value");

    SourceItem z = item(plan, "toy/train/z");
    assertTrue(z.problem().contains("z.jpg is referenced by instances_train.json (image id 12) but missing"),
        z.problem());
  }

  @Test
  void readsYoloNormalizedBoxesAsPixelsAndReportsOrphans() throws Exception {
    SourcePlan plan = SourcePlans.yoloFolder("toy", IngestFixtures.yolo(tmp.resolve("yolo")));
    assertEquals(List.of("a", "b"), plan.classes());
    assertEquals(1L, plan.notes().get("unlabeled_images"));
    SourceDecoder decoder = new SourceDecoder(index(plan.classes()), false);
    Sample p = decoder.decode(item(plan, "toy/train/p")).sample();
    assertEquals(1, p.boxes().size());
    Box box = p.boxes().get(0);
    assertEquals(40f, box.x1(), 1e-4);
    assertEquals(15f, box.y1(), 1e-4);
    assertEquals(60f, box.x2(), 1e-4);
    assertEquals(35f, box.y2(), 1e-4);
    assertEquals(1, box.classId());
    assertEquals(List.of(), decoder.decode(item(plan, "toy/train/q")).sample().boxes(), "no label file: no objects");
    assertTrue(item(plan, "toy/train/r").problem().startsWith("label file r.txt has no image"));
  }

  @Test
  void readsImageFoldersWithSortedClassLabels() throws Exception {
    SourcePlan plan = SourcePlans.imageFolder("toy", IngestFixtures.folders(tmp.resolve("folders")));
    assertEquals(List.of("cats", "dogs"), plan.classes());
    assertEquals(List.of("toy/train/cats/1", "toy/train/cats/2", "toy/train/dogs/1", "toy/train/dogs/2"),
        plan.items().stream().map(SourceItem::id).toList());
    Sample dog = new SourceDecoder(Map.of(), false).decode(item(plan, "toy/train/dogs/2")).sample();
    assertEquals(1, dog.label());
    assertNull(dog.boxes());
  }

  @Test
  void rejectsTruncatedCorruptAndFourChannelImages() throws Exception {
    Path good = IngestFixtures.image(tmp.resolve("good.jpg"), 64, 48, "jpg");
    byte[] bytes = Files.readAllBytes(good);
    Path truncated = Files.write(tmp.resolve("truncated.jpg"), Arrays.copyOf(bytes, bytes.length / 2));
    Path garbage = Files.write(tmp.resolve("garbage.jpg"), "not an image".getBytes());
    Path rgba = IngestFixtures.rgbaImage(tmp.resolve("rgba.png"), 8, 8);
    SourceDecoder decoder = new SourceDecoder(Map.of(), false);
    for (Path file : List.of(truncated, garbage, rgba, tmp.resolve("missing.jpg"))) {
      SourceItem item = new SourceItem("t/train/" + file.getFileName(), "train", file.toString(), null,
          SourceFormat.IMAGE_FOLDER, 0, null, null);
      BadInputException e = assertThrows(BadInputException.class, () -> decoder.decode(item), file.toString());
      assertNotNull(e.getMessage());
    }
    assertTrue(assertThrows(BadInputException.class, () -> decoder.decode(new SourceItem("t/train/r", "train",
        rgba.toString(), null, SourceFormat.IMAGE_FOLDER, 0, null, null))).getMessage()
        .startsWith("image has 4 channels"));
  }

  @Test
  void dropsZeroAreaAndOutsideBoxesButKeepsTheSample() throws Exception {
    Path root = IngestFixtures.voc(tmp.resolve("voc"));
    IngestFixtures.text(root.resolve("Annotations/a.xml"),
        IngestFixtures.vocXml("a.jpg", 64, 48, "cat 8 8 24 24", "cat 5 5 5 5", "dog 10 10 90 40", "dog 0 0 64.5 48",
            "bird 1 1 2 2"));
    SourcePlan plan = SourcePlans.voc("toy", root, List.of("cat", "dog"));
    SourceDecoder.Decoded decoded = new SourceDecoder(index(plan.classes()), false).decode(item(plan, "toy/train/a"));
    assertEquals(List.of(new Box(8, 8, 24, 24, 0), new Box(0, 0, 64, 48, 1)), decoded.sample().boxes(),
        "half a pixel over the edge is clipped");
    assertEquals(3, decoded.droppedBoxes().size());
    assertTrue(decoded.droppedBoxes().get(0).reason().contains("zero or negative area"));
    assertTrue(decoded.droppedBoxes().get(1).reason().contains("outside the 64x48 image"));
    assertTrue(decoded.droppedBoxes().get(2).reason().contains("not in the dataset's class list"));
    assertTrue(decoded.droppedBoxes().get(0).source().endsWith("a.xml box #1"));
  }

  @Test
  void unparsableXmlIsBadInput() throws Exception {
    Path root = IngestFixtures.voc(tmp.resolve("voc"));
    IngestFixtures.text(root.resolve("Annotations/c.xml"), "<annotation><size><width>64</wid");
    SourcePlan plan = SourcePlans.voc("toy", root, List.of("cat", "dog"));
    BadInputException e = assertThrows(BadInputException.class,
        () -> new SourceDecoder(index(plan.classes()), false).decode(item(plan, "toy/test/c")));
    assertTrue(e.getMessage().startsWith("unparsable VOC XML"), e.getMessage());
  }

  @Test
  void groupsItemsIntoShardsDeterministically() {
    List<SourceItem> items = new java.util.ArrayList<>();
    for (String id : List.of("d/train/3", "d/test/1", "d/train/1", "d/train/2")) {
      items.add(new SourceItem(id, id.split("/")[1], "f", null, SourceFormat.YOLO, null, null, null));
    }
    List<SourceShard> shards = new SourcePlan(List.of(), items, Map.of()).shards(2, 0);
    assertEquals(List.of("test/test-00000.arrow", "train/train-00000.arrow", "train/train-00001.arrow"),
        shards.stream().map(SourceShard::shard).toList());
    assertEquals(List.of("d/train/1", "d/train/2"), shards.get(1).items().stream().map(SourceItem::id).toList());
    assertEquals(1, new SourcePlan(List.of(), items, Map.of()).shards(2, 1).get(1).items().size(), "limit per split");
  }
}
