package dev.tessera.stages.detection.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.stages.detection.model.AnchorBox;
import dev.tessera.stages.detection.model.YoloConfig;
import dev.tessera.transforms.sample.Box;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LabelAssignerTest {
  /** A 64-pixel input: grids 8x8, 4x4 and 2x2; one anchor per scale plus a second, very wide one on stride 8. */
  static final YoloConfig CONFIG = new YoloConfig(2, 0.125, 0.33, List.of(
      List.of(new AnchorBox(10, 13), new AnchorBox(80, 10)),
      List.of(new AnchorBox(30, 30), new AnchorBox(20, 40)),
      List.of(new AnchorBox(70, 70), new AnchorBox(64, 64))));

  @Test
  void centreCellAndTheTwoNearerNeighboursGetTheBox() {
    // Centre (19, 13): on stride 8 at (2.375, 1.625): left of its cell's middle and below it.
    List<Target> targets = LabelAssigner.assign(List.of(List.of(new Box(11, 5, 27, 21, 1))), 64, CONFIG, 4.0);
    List<Target> fine = targets.stream().filter(t -> t.scale() == 0).toList();
    assertEquals(3, fine.size(), fine.toString());
    assertTrue(fine.stream().allMatch(t -> t.anchor() == 0), "the 80x10 anchor is 8x too wide for a 16x16 box");
    Set<String> cells = fine.stream().map(t -> t.cellX() + "," + t.cellY()).collect(Collectors.toSet());
    assertEquals(Set.of("2,1", "1,1", "2,2"), cells);
    Target centre = fine.stream().filter(t -> t.cellX() == 2 && t.cellY() == 1).findFirst().orElseThrow();
    assertEquals(0.375, centre.x(), 1e-9);
    assertEquals(0.625, centre.y(), 1e-9);
    assertEquals(2.0, centre.width(), 1e-9);
    assertEquals(1, centre.classId());
    Target left = fine.stream().filter(t -> t.cellX() == 1).findFirst().orElseThrow();
    assertEquals(1.375, left.x(), 1e-9);
    Target below = fine.stream().filter(t -> t.cellY() == 2).findFirst().orElseThrow();
    assertEquals(-0.375, below.y(), 1e-9);
  }

  @Test
  void anchorsMoreThanFourTimesOffInASideDoNotMatch() {
    List<Target> targets = LabelAssigner.assign(List.of(List.of(new Box(11, 5, 27, 21, 0))), 64, CONFIG, 4.0);
    // 16x16 against 30x30 (1.9x) and 20x40 (2.5x) on stride 16 match; 70x70 (4.4x) and 64x64 (4x) do not.
    assertEquals(Set.of(0, 1), targets.stream().filter(t -> t.scale() == 1).map(Target::anchor)
        .collect(Collectors.toSet()));
    assertTrue(targets.stream().noneMatch(t -> t.scale() == 2), targets.toString());
  }

  @Test
  void noNeighbourBeyondTheGridBorder() {
    // Centre (3, 61) on stride 8: (0.375, 7.625): no column -1, no row 8, and gx <= 1 skips the left one.
    List<Target> fine = LabelAssigner.assign(List.of(List.of(new Box(0, 58, 6, 64, 0))), 64, CONFIG, 4.0)
        .stream().filter(t -> t.scale() == 0 && t.anchor() == 0).toList();
    assertEquals(List.of("0,7"), fine.stream().map(t -> t.cellX() + "," + t.cellY()).toList());
  }

  @Test
  void imagesKeepTheirIndexAndEmptyImagesGiveNothing() {
    List<Target> targets = LabelAssigner.assign(
        List.of(List.of(), List.of(new Box(40, 40, 56, 56, 0))), 64, CONFIG, 4.0);
    assertTrue(targets.stream().allMatch(t -> t.image() == 1));
    assertTrue(!targets.isEmpty());
  }
}
