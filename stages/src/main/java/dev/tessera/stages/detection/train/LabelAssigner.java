package dev.tessera.stages.detection.train;

import dev.tessera.stages.detection.model.AnchorBox;
import dev.tessera.stages.detection.model.YoloConfig;
import dev.tessera.transforms.sample.Box;
import java.util.ArrayList;
import java.util.List;

/**
 * Which predictions learn which ground-truth box: YOLOv5's assignment (Jocher et al., ultralytics/yolov5 2020).
 *
 * <ul>
 *   <li><b>Anchors by shape, on every scale:</b> a box matches an anchor when neither side differs by more than
 *       {@code anchorRatio} times ({@code max(w/aw, aw/w, h/ah, ah/h) < anchorRatio}, 4 by default, the limit of
 *       the {@code (2 sigmoid)^2} size range). A box may match several anchors on several scales; one matching no
 *       anchor is not learned at all.
 *   <li><b>Three cells per match:</b> the cell holding the box centre, plus the horizontal neighbour nearer to the
 *       centre and the vertical one (the centre offset {@code 2 sigmoid - 0.5} reaches {@code -0.5..1.5}, so those
 *       cells can predict it too). A neighbour outside the grid, or whose side of the centre is within one cell of
 *       the border, is skipped, as in YOLOv5.
 * </ul>
 *
 * <p>When two boxes claim the same prediction, the later one in the input wins (the loss keeps one target per
 * prediction). Boxes are corners in pixels of the network input.
 */
public final class LabelAssigner {
  private LabelAssigner() {}

  /**
   * The positives of a batch.
   *
   * @param boxes the boxes of each image of the batch, in input pixels
   * @param side the input side in pixels (square input)
   * @param config the anchors and scales
   * @param anchorRatio the largest side ratio of box to anchor that still matches, > 1
   */
  public static List<Target> assign(List<List<Box>> boxes, int side, YoloConfig config, double anchorRatio) {
    List<Target> out = new ArrayList<>();
    for (int s = 0; s < YoloConfig.STRIDES.size(); s++) {
      int stride = YoloConfig.STRIDES.get(s);
      int grid = side / stride;
      List<AnchorBox> anchors = config.anchors().get(s);
      for (int image = 0; image < boxes.size(); image++) {
        for (Box box : boxes.get(image)) {
          double w = box.x2() - box.x1();
          double h = box.y2() - box.y1();
          if (!(w > 0 && h > 0)) {
            continue;
          }
          double gx = (box.x1() + box.x2()) / 2.0 / stride;
          double gy = (box.y1() + box.y2()) / 2.0 / stride;
          for (int a = 0; a < anchors.size(); a++) {
            AnchorBox anchor = anchors.get(a);
            double ratio = Math.max(Math.max(w / anchor.width(), anchor.width() / w),
                Math.max(h / anchor.height(), anchor.height() / h));
            if (ratio >= anchorRatio) {
              continue;
            }
            for (int[] cell : cells(gx, gy, grid)) {
              out.add(new Target(image, s, a, cell[1], cell[0], gx - cell[0], gy - cell[1], w / stride, h / stride,
                  box.classId()));
            }
          }
        }
      }
    }
    return out;
  }

  /** {x, y} of the centre cell and its nearer horizontal and vertical neighbours, within the grid. */
  static List<int[]> cells(double gx, double gy, int grid) {
    int cx = Math.min(grid - 1, Math.max(0, (int) Math.floor(gx)));
    int cy = Math.min(grid - 1, Math.max(0, (int) Math.floor(gy)));
    List<int[]> cells = new ArrayList<>(3);
    cells.add(new int[] {cx, cy});
    double fx = gx - Math.floor(gx);
    double fy = gy - Math.floor(gy);
    if (fx < 0.5 && gx > 1) {
      cells.add(new int[] {cx - 1, cy});
    } else if (fx > 0.5 && grid - gx > 1) {
      cells.add(new int[] {cx + 1, cy});
    }
    if (fy < 0.5 && gy > 1) {
      cells.add(new int[] {cx, cy - 1});
    } else if (fy > 0.5 && grid - gy > 1) {
      cells.add(new int[] {cx, cy + 1});
    }
    return cells;
  }
}
