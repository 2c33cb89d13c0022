package dev.tessera.stages.detection.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tessera.stages.detection.coco.CocoDetection;
import dev.tessera.stages.detection.coco.CocoJson;
import dev.tessera.stages.detection.coco.ImageBoxes;
import dev.tessera.stages.detection.model.DetectorPredictor;
import dev.tessera.stages.detection.nms.Detection;
import dev.tessera.stages.detection.nms.NmsSpec;
import dev.tessera.stages.ingest.BadInputException;
import dev.tessera.stages.ingest.ImageDecoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A trained detector (a {@code train-detector} model directory) run on image files of any size, as
 * {@code tessera predict} does: each image is decoded as ingest decodes it, letterboxed as in training, detected
 * and post-processed as the evaluate stage does ({@link DetectorPredictor#detect}), its boxes mapped back to its
 * own pixels. Writes into the output folder {@value #PREDICTIONS} (COCO results, image ids 1.. in argument order,
 * category id = class id, as in the evaluate stage's {@code detections.json}), {@value #IMAGES} (each id's file,
 * size and drawing) and one PNG per image with the boxes drawn.
 *
 * <pre>{@code
 * PredictImages.Result result = PredictImages.run(modelDir, List.of(Path.of("cells.jpg")), NmsSpec.defaults(),
 *     0.25, Path.of("predictions"));
 * }</pre>
 */
public final class PredictImages {
  /** The COCO result file's name. */
  public static final String PREDICTIONS = "predictions.json";
  /** The image index's name. */
  public static final String IMAGES = "images.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private PredictImages() {}

  /**
   * One input image.
   *
   * @param id its COCO image id
   * @param file the file it was read from
   * @param width its width in pixels
   * @param height its height in pixels
   * @param detections how many boxes were found
   * @param drawn the PNG with the boxes drawn
   */
  public record Image(long id, String file, int width, int height, int detections, String drawn) {}

  /** Every image's entry and every detection, in COCO result form. */
  public record Result(List<Image> images, List<CocoDetection> detections, List<String> classNames) {}

  /**
   * Detects every image and writes the files described above into {@code out}.
   *
   * @param nms the post-processing (the evaluate stage's by default, so the boxes are the ones it scored)
   * @param drawScore the lowest score drawn in the PNGs (all are in the JSON)
   * @throws IOException when an image cannot be read or decoded (naming the file), or the model cannot be loaded
   */
  public static Result run(Path modelDir, List<Path> images, NmsSpec nms, double drawScore, Path out)
      throws IOException {
    Files.createDirectories(out);
    List<Image> entries = new ArrayList<>();
    List<CocoDetection> all = new ArrayList<>();
    Set<String> names = new HashSet<>();
    try (DetectorPredictor predictor = DetectorPredictor.load(modelDir)) {
      List<String> classes = predictor.info().classNames();
      for (Path file : images) {
        ImageDecoding.Rgb rgb;
        try {
          rgb = ImageDecoding.decodeRgb(Files.readAllBytes(file));
        } catch (BadInputException e) {
          throw new IOException("cannot predict on '" + file + "': " + e.getMessage()
              + ". Give JPEG, PNG, BMP or GIF images with 1 or 3 channels.", e);
        }
        long id = entries.size() + 1;
        List<Detection> found = predictor.detect(rgb.pixels(), rgb.height(), rgb.width(), nms);
        all.addAll(ImageBoxes.of(id, List.of(), found).detections());
        String stem = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        String png = names.add(stem) ? stem + ".png" : stem + "-" + id + ".png";
        DetectionGrid.writeImage(rgb.pixels(), rgb.height(), rgb.width(), found, classes, drawScore,
            out.resolve(png));
        entries.add(new Image(id, file.toString(), rgb.width(), rgb.height(), found.size(), png));
      }
      CocoJson.writeDetections(all, out.resolve(PREDICTIONS));
      JSON.writeValue(out.resolve(IMAGES).toFile(), entries);
      return new Result(List.copyOf(entries), List.copyOf(all), classes);
    }
  }
}
