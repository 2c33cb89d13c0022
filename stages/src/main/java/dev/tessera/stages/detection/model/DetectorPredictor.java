package dev.tessera.stages.detection.model;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.tessera.stages.detection.nms.Detection;
import dev.tessera.stages.detection.nms.Nms;
import dev.tessera.stages.detection.nms.NmsSpec;
import dev.tessera.transforms.image.Letterbox;
import dev.tessera.transforms.image.LetterboxGeometry;
import dev.tessera.transforms.image.LetterboxSpec;
import dev.tessera.transforms.image.Interpolation;
import dev.tessera.transforms.sample.Box;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A trained detector loaded for inference: letterbox an original image as in training, run the network, decode,
 * NMS, and map the boxes back to the original image. Not thread-safe; one per worker ({@code @Setup}).
 *
 * <pre>{@code
 * try (DetectorPredictor detector = DetectorPredictor.load(modelDir)) {
 *   List<Detection> found = detector.detect(rgbHwc, height, width, NmsSpec.defaults());
 * }
 * }</pre>
 */
public final class DetectorPredictor implements AutoCloseable {
  private final DetectorModel info;
  private final Model model;
  private final NDManager manager;
  private final ParameterStore store;

  private DetectorPredictor(DetectorModel info, Model model) {
    this.info = info;
    this.model = model;
    this.manager = model.getNDManager().newSubManager();
    this.store = new ParameterStore(manager, false);
  }

  /** Loads the detector saved in {@code dir} (a {@code train-detector} output). */
  public static DetectorPredictor load(Path dir) throws IOException {
    DetectorModel info = DetectorModel.read(dir);
    Model model = Model.newInstance(DetectorModel.MODEL_NAME);
    try {
      model.setBlock(new YoloNet(info.config()));
      model.load(dir, DetectorModel.MODEL_NAME);
      return new DetectorPredictor(info, model);
    } catch (MalformedModelException | IOException | RuntimeException e) {
      model.close();
      throw new IOException("cannot load the detector in '" + dir + "': " + e.getMessage(), e);
    }
  }

  /** The model's metadata. */
  public DetectorModel info() {
    return info;
  }

  /** The letterbox the model was trained with (bilinear). */
  public LetterboxSpec letterbox() {
    return new LetterboxSpec(info.imageSize(), 32, info.padValue(), Interpolation.BILINEAR);
  }

  /**
   * The detections of one original image (u8 RGB HWC), in its pixels, after NMS.
   *
   * @param pixels {@code height * width * 3} bytes
   */
  public List<Detection> detect(byte[] pixels, int height, int width, NmsSpec nms) {
    LetterboxSpec spec = letterbox();
    int side = spec.paddedSide();
    byte[] boxed = new byte[side * side * 3];
    LetterboxGeometry geometry = Letterbox.apply(pixels, height, width, 3, spec, boxed);
    List<Detection> raw = detectInput(toChw(boxed, side), 1, side, nms.scoreThreshold()).get(0);
    List<Detection> kept = Nms.apply(raw, nms);
    List<Detection> out = new ArrayList<>(kept.size());
    for (Detection d : kept) {
      Box back = geometry.unletterbox(List.of(new Box((float) d.box().x1(), (float) d.box().y1(),
          (float) d.box().x2(), (float) d.box().y2(), d.classId()))).get(0);
      out.add(Detection.of(clamp(back.x1(), width), clamp(back.y1(), height), clamp(back.x2(), width),
          clamp(back.y2(), height), d.score(), d.classId()));
    }
    return out;
  }

  /**
   * Raw decoded boxes (before NMS) of {@code n} prepared images {@code (n, 3, side, side)}, in input pixels.
   */
  public List<List<Detection>> detectInput(float[] images, int n, int side, double threshold) {
    try (NDManager batch = manager.newSubManager()) {
      NDList out = model.getBlock().forward(store, new NDList(batch.create(images, new Shape(n, 3, side, side))),
          false);
      List<float[]> scales = new ArrayList<>();
      for (int s = 0; s < out.size(); s++) {
        scales.add(out.get(s).toFloatArray());
      }
      List<List<Detection>> result = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        List<float[]> own = new ArrayList<>();
        for (float[] scale : scales) {
          int per = scale.length / n;
          float[] part = new float[per];
          System.arraycopy(scale, i * per, part, 0, per);
          own.add(part);
        }
        result.add(YoloDecoder.decodeAll(own, side, info.config(), threshold));
      }
      return result;
    }
  }

  /** u8 HWC RGB to float CHW, scaled to [0, 1] and normalized with the model's mean and std. */
  public float[] toChw(byte[] hwc, int side) {
    int plane = side * side;
    float[] out = new float[3 * plane];
    for (int c = 0; c < 3; c++) {
      float mean = info.mean().get(c).floatValue();
      float std = info.std().get(c).floatValue();
      for (int i = 0; i < plane; i++) {
        out[c * plane + i] = ((hwc[i * 3 + c] & 0xFF) / 255f - mean) / std;
      }
    }
    return out;
  }

  private static double clamp(double v, int max) {
    return Math.max(0, Math.min(max, v));
  }

  @Override
  public void close() {
    manager.close();
    model.close();
  }
}
