package dev.tessera.stages.detection.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;

class YoloNetTest {
  static final List<List<AnchorBox>> ANCHORS = List.of(
      List.of(new AnchorBox(10, 13), new AnchorBox(16, 30)),
      List.of(new AnchorBox(33, 23), new AnchorBox(30, 61)),
      List.of(new AnchorBox(62, 45), new AnchorBox(59, 119)));

  @Test
  void givesOneOutputPerStrideWithAnchorsTimesFivePlusClassesChannels() {
    YoloConfig config = new YoloConfig(3, 0.125, 0.33, ANCHORS);
    try (Model model = Model.newInstance("yolo"); NDManager manager = NDManager.newBaseManager()) {
      YoloNet net = new YoloNet(config);
      model.setBlock(net);
      net.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 96, 64));
      NDList out = net.forward(new ParameterStore(manager, false),
          new NDList(manager.randomUniform(0, 1, new Shape(2, 3, 96, 64))), false);
      assertEquals(3, out.size());
      assertEquals(new Shape(2, 16, 12, 8), out.get(0).getShape());
      assertEquals(new Shape(2, 16, 6, 4), out.get(1).getShape());
      assertEquals(new Shape(2, 16, 3, 2), out.get(2).getShape());
      Shape[] declared = net.getOutputShapes(new Shape[] {new Shape(2, 3, 96, 64)});
      for (int i = 0; i < 3; i++) {
        assertEquals(out.get(i).getShape(), declared[i]);
      }
    }
  }

  @Test
  void widthMultiplierScalesTheParameterCount() {
    try (NDManager manager = NDManager.newBaseManager()) {
      long small = parameters(new YoloConfig(3, 0.125, 0.33, ANCHORS), manager);
      long large = parameters(new YoloConfig(3, 0.25, 0.33, ANCHORS), manager);
      // Convolution weights grow with the square of the channel count.
      assertTrue(large > 3 * small, small + " vs " + large);
    }
  }

  @Test
  void rejectsInputNotAMultipleOf32() {
    try (NDManager manager = NDManager.newBaseManager()) {
      YoloNet net = new YoloNet(new YoloConfig(3, 0.125, 0.33, ANCHORS));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 100, 96)));
      assertTrue(e.getMessage().contains("multiples of 32"), e.getMessage());
    }
  }

  @Test
  void configRejectsUnevenAnchorLists() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new YoloConfig(3, 0.25, 0.33,
        List.of(List.of(new AnchorBox(1, 1)), List.of(new AnchorBox(2, 2)), List.of())));
    assertTrue(e.getMessage().contains("detector.anchors"), e.getMessage());
  }

  private static long parameters(YoloConfig config, NDManager manager) {
    YoloNet net = new YoloNet(config);
    net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
    return net.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
  }
}
