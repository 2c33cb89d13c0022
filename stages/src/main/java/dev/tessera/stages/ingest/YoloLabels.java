package dev.tessera.stages.ingest;

import dev.tessera.transforms.sample.Box;
import java.util.ArrayList;
import java.util.List;

/** Reads one YOLO label file: a line {@code class cx cy w h} per box, coordinates normalized to [0, 1]. */
final class YoloLabels {
  private YoloLabels() {}

  /**
   * The boxes in pixels of a {@code width x height} image, in file order; a class id outside
   * {@code [0, classCount)} gives class id -1 (when {@code classCount > 0}).
   *
   * @throws BadInputException for a line that is not five numbers
   */
  static List<Box> parse(String text, int width, int height, int classCount) throws BadInputException {
    List<Box> boxes = new ArrayList<>();
    String[] lines = text.split("\r?\n");
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n].strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split("\\s+");
      if (parts.length != 5) {
        throw new BadInputException("YOLO label line " + (n + 1) + " must be 'class cx cy w h', but was '" + line
            + "'");
      }
      try {
        int classId = Integer.parseInt(parts[0]);
        float cx = Float.parseFloat(parts[1]) * width;
        float cy = Float.parseFloat(parts[2]) * height;
        float w = Float.parseFloat(parts[3]) * width;
        float h = Float.parseFloat(parts[4]) * height;
        boolean known = classId >= 0 && (classCount <= 0 || classId < classCount);
        boxes.add(new Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, known ? classId : -1));
      } catch (NumberFormatException e) {
        throw new BadInputException("YOLO label line " + (n + 1) + " has a value that is not a number: '" + line
            + "'");
      }
    }
    return boxes;
  }
}
