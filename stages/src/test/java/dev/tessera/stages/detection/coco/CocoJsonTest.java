package dev.tessera.stages.detection.coco;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading and writing COCO JSON, and the messages for files that cannot be read. */
class CocoJsonTest {
  @TempDir Path dir;

  @Test
  void groundTruthAndDetectionsRoundTrip() throws Exception {
    CocoGroundTruth gt = new CocoGroundTruth(List.of(new CocoImage(7, "a.jpg", 640, 480)),
        List.of(new CocoCategory(3, "cell")),
        List.of(new CocoAnnotation(1, 7, 3, 0.1, 2.5, 10.25, 20, 150.5, true)));
    CocoJson.writeGroundTruth(gt, dir.resolve("gt.json"));
    CocoGroundTruth back = CocoJson.readGroundTruth(dir.resolve("gt.json"));
    assertEquals(gt.images(), back.images());
    assertEquals(gt.categories(), back.categories());
    assertEquals(gt.annotations(), back.annotations());

    List<CocoDetection> dets = List.of(new CocoDetection(7, 3, 1.0 / 3, 2, 3, 4, 0.123456789));
    CocoJson.writeDetections(dets, dir.resolve("dets.json"));
    assertEquals(dets, CocoJson.readDetections(dir.resolve("dets.json")));
  }

  @Test
  void missingAreaAndIscrowdDefaultToTheBoxAreaAndZero() throws Exception {
    Files.writeString(dir.resolve("gt.json"), "{\"images\":[{\"id\":1}],\"categories\":[{\"id\":1}],"
        + "\"annotations\":[{\"id\":5,\"image_id\":1,\"category_id\":1,\"bbox\":[0,0,4,5]}]}");
    CocoAnnotation a = CocoJson.readGroundTruth(dir.resolve("gt.json")).annotations().get(0);
    assertEquals(20, a.area());
    assertEquals(false, a.crowd());
  }

  @Test
  void errorsNameTheFileAndTheProblem() throws Exception {
    Path missing = dir.resolve("nope.json");
    assertEquals(missing + ": no such file. Check the path.",
        assertThrows(CocoFormatException.class, () -> CocoJson.readDetections(missing)).getMessage());

    Path empty = dir.resolve("empty.json");
    Files.writeString(empty, "");
    assertEquals(empty + ": the file is empty. Expected COCO JSON.",
        assertThrows(CocoFormatException.class, () -> CocoJson.readGroundTruth(empty)).getMessage());

    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "[{\"image_id\": 1,");
    String message = assertThrows(CocoFormatException.class, () -> CocoJson.readDetections(broken)).getMessage();
    assertEquals(true, message.startsWith(broken + ": not valid JSON: "), message);

    Path noScore = dir.resolve("noscore.json");
    Files.writeString(noScore, "[{\"image_id\": 1, \"category_id\": 2, \"bbox\": [0, 0, 1, 1]}]");
    assertEquals(noScore + ": entry 0: 'score' must be a number, but is missing.",
        assertThrows(CocoFormatException.class, () -> CocoJson.readDetections(noScore)).getMessage());

    Path badBox = dir.resolve("badbox.json");
    Files.writeString(badBox, "[{\"image_id\": 1, \"category_id\": 2, \"bbox\": [0, 0, 1], \"score\": 1}]");
    assertEquals(badBox + ": entry 0: 'bbox' must be [x, y, width, height], but is [0,0,1].",
        assertThrows(CocoFormatException.class, () -> CocoJson.readDetections(badBox)).getMessage());

    Path object = dir.resolve("object.json");
    Files.writeString(object, "{}");
    assertEquals(object + ": a COCO result file is a JSON array of {image_id, category_id, bbox, score}, but"
        + " this one holds an object.",
        assertThrows(CocoFormatException.class, () -> CocoJson.readDetections(object)).getMessage());

    Path orphan = dir.resolve("orphan.json");
    Files.writeString(orphan, "{\"images\":[{\"id\":1}],\"categories\":[],"
        + "\"annotations\":[{\"id\":5,\"image_id\":2,\"category_id\":1,\"bbox\":[0,0,4,5]}]}");
    assertEquals(orphan + ": annotation 5 refers to image_id 2, which is not among the 1 images. Add the image or"
        + " drop the annotation.",
        assertThrows(CocoFormatException.class, () -> CocoJson.readGroundTruth(orphan)).getMessage());
  }

  @Test
  void detectionsForAnUnknownImageAreRejected() {
    CocoGroundTruth gt = new CocoGroundTruth(List.of(new CocoImage(1, "", 0, 0)), List.of(), List.of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CocoEvaluator.evaluate(gt, List.of(new CocoDetection(9, 1, 0, 0, 1, 1, 0.5))));
    assertEquals("detection 0 has image_id 9, which is not among the ground truth's 1 images. Evaluate against"
        + " the ground truth the detections were made for.", e.getMessage());
  }
}
