package dev.tessera.benchmarks;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;

import dev.tessera.transforms.image.MosaicLayout;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The OpenCV side of the mosaic benchmarks: renders a {@link MosaicLayout} of four 3-channel images the way an
 * OpenCV user would, canvas {@code setTo(pad)}, per tile {@code cv::resize} and {@code copyTo} of its visible part,
 * then {@code split} and one {@code convertTo(CV_32F, scale, shift)} per channel into a float CHW buffer. Buffers
 * are allocated once and reused.
 */
final class OpenCvMosaic {
  private final int size;
  private final Mat canvas;
  private final Mat tile = new Mat();
  private final Mat pad;
  private final MatVector planes = new MatVector(3);
  private final Mat[] outPlanes = new Mat[3];

  /** A renderer onto a {@code size x size} canvas padded with {@code padValue}. */
  OpenCvMosaic(int size, int padValue) {
    this.size = size;
    this.canvas = new Mat(size, size, CV_8UC3);
    this.pad = new Mat(new Scalar(padValue, padValue, padValue, 0));
    FloatPointer chw = new FloatPointer(3L * size * size);
    for (int c = 0; c < 3; c++) {
      outPlanes[c] = new Mat(size, size, CV_32F, new FloatPointer(chw.position((long) c * size * size)));
    }
    chw.position(0);
  }

  /** Images as 3-channel OpenCV matrices, copied from HWC bytes. */
  static Mat[] mats(java.util.List<BenchmarkImages.Image> images) {
    Mat[] mats = new Mat[images.size()];
    for (int i = 0; i < mats.length; i++) {
      BenchmarkImages.Image image = images.get(i);
      mats[i] = new Mat(image.height(), image.width(), CV_8UC3);
      mats[i].data().put(image.hwc());
    }
    return mats;
  }

  /**
   * Renders tiles {@code sources[(k + i) & 15]} per {@code layout}; channel c of the output is
   * {@code pixel * scale[c] + shift[c]}.
   */
  void render(Mat[] sources, int k, MosaicLayout layout, double[] scale, double[] shift) {
    canvas.setTo(pad);
    for (int i = 0; i < 4; i++) {
      MosaicLayout.Tile t = layout.tiles().get(i);
      if (t.visibleWidth() == 0 || t.visibleHeight() == 0) {
        continue;
      }
      opencv_imgproc.resize(sources[(k + i) & 15], tile, new Size(t.tileWidth(), t.tileHeight()), 0, 0,
          INTER_LINEAR);
      Mat from = tile.apply(new Rect(t.visibleX0() - t.x(), t.visibleY0() - t.y(), t.visibleWidth(),
          t.visibleHeight()));
      Mat to = canvas.apply(new Rect(t.visibleX0(), t.visibleY0(), t.visibleWidth(), t.visibleHeight()));
      from.copyTo(to);
    }
    opencv_core.split(canvas, planes);
    for (int c = 0; c < 3; c++) {
      planes.get(c).convertTo(outPlanes[c], CV_32F, scale[c], shift[c]);
    }
  }

  int size() {
    return size;
  }
}
