package dev.tessera.stages.detection.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnchorKMeansTest {

  /** Three tight clusters of box sizes: k-means with 1 - IoU finds their centres (medians), smallest first. */
  @Test
  void findsTheThreeClustersOfHandMadeBoxes() {
    List<double[]> sizes = new ArrayList<>();
    for (double[] centre : new double[][] {{100, 100}, {10, 12}, {40, 20}}) {
      for (double d : new double[] {-1, 0, 1}) {
        sizes.add(new double[] {centre[0] + d, centre[1] - d});
      }
    }
    List<AnchorBox> anchors = AnchorKMeans.fit(sizes, 3, 7);
    assertEquals(List.of(new AnchorBox(10, 12), new AnchorBox(40, 20), new AnchorBox(100, 100)), anchors);
    assertTrue(AnchorKMeans.meanBestIou(sizes, anchors) > 0.9);
  }

  @Test
  void iouDistanceKeepsSmallBoxesApartThatEuclideanWouldMerge() {
    // 4x4 and 8x8 differ by only 4 pixels but have IoU 0.25; 200x200 and 210x210 differ by 10 but IoU 0.91.
    List<double[]> sizes = List.of(new double[] {4, 4}, new double[] {4, 4}, new double[] {8, 8},
        new double[] {8, 8}, new double[] {200, 200}, new double[] {210, 210});
    List<AnchorBox> anchors = AnchorKMeans.fit(sizes, 3, 1);
    assertEquals(new AnchorBox(4, 4), anchors.get(0));
    assertEquals(new AnchorBox(8, 8), anchors.get(1));
    assertEquals(205, anchors.get(2).width(), 1e-9);
  }

  @Test
  void perScaleSplitsSortedAnchorsOverTheStrides() {
    List<double[]> sizes = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      sizes.add(new double[] {8.0 * i * i, 8.0 * i * i});
    }
    List<List<AnchorBox>> anchors = AnchorKMeans.perScale(sizes, 2, 3);
    assertEquals(3, anchors.size());
    assertEquals(List.of(new AnchorBox(8, 8), new AnchorBox(32, 32)), anchors.get(0));
    assertEquals(List.of(new AnchorBox(200, 200), new AnchorBox(288, 288)), anchors.get(2));
  }

  @Test
  void sameSeedSameAnchors() {
    List<double[]> sizes = new ArrayList<>();
    java.util.SplittableRandom random = new java.util.SplittableRandom(5);
    for (int i = 0; i < 200; i++) {
      sizes.add(new double[] {1 + random.nextDouble(100), 1 + random.nextDouble(100)});
    }
    assertEquals(AnchorKMeans.fit(sizes, 9, 11), AnchorKMeans.fit(sizes, 9, 11));
  }

  @Test
  void rejectsFewerBoxesThanAnchors() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AnchorKMeans.fit(List.of(new double[] {3, 3}), 2, 0));
    assertTrue(e.getMessage().contains("at least 2 boxes"), e.getMessage());
  }
}
