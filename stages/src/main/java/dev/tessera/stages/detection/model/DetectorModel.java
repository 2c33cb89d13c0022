package dev.tessera.stages.detection.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a trained detector's directory says about it, in {@value #FILE_NAME} beside DJL's parameter file
 * {@code detector-NNNN.params}: the network's shape and anchors, the class names, and how an image must be
 * prepared (letterbox side, per-channel mean and std on the {@code [0, 1]} scale, CHW).
 *
 * @param format the file format version, {@value #FORMAT}
 * @param classNames class id i is {@code classNames.get(i)}
 * @param imageSize the letterbox side in pixels (square input)
 * @param padValue the u8 level the letterbox pads with
 * @param config the network's shape and anchors (pixels of the input)
 * @param mean per-channel mean subtracted after scaling pixels to [0, 1]
 * @param std per-channel std divided by after that
 * @param epochs epochs trained
 * @param seed the training seed
 */
public record DetectorModel(int format, List<String> classNames, int imageSize, int padValue, YoloConfig config,
    List<Double> mean, List<Double> std, int epochs, long seed) {
  /** The metadata file's name. */
  public static final String FILE_NAME = "detector.json";
  /** The DJL model name: parameters are saved as {@code detector-NNNN.params}. */
  public static final String MODEL_NAME = "detector";
  /** The current format version. */
  public static final int FORMAT = 1;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public DetectorModel {
    classNames = List.copyOf(classNames);
    mean = List.copyOf(mean);
    std = List.copyOf(std);
    if (classNames.size() != config.classes()) {
      throw new IllegalArgumentException("a detector with " + config.classes() + " classes needs as many class "
          + "names, but got " + classNames + ".");
    }
  }

  /** Writes {@value #FILE_NAME} into {@code dir}. */
  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    JSON.writeValue(dir.resolve(FILE_NAME).toFile(), this);
  }

  /** Reads {@value #FILE_NAME} from a detector's directory. */
  public static DetectorModel read(Path dir) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new IOException("'" + dir + "' is not a detector directory: it has no " + FILE_NAME
          + ". Point at the output of a train-detector stage.");
    }
    DetectorModel model = JSON.readValue(file.toFile(), DetectorModel.class);
    if (model.format() != FORMAT) {
      throw new IOException(file + " has format " + model.format() + ", but this version reads format " + FORMAT
          + ". Retrain the detector with this version.");
    }
    return model;
  }
}
