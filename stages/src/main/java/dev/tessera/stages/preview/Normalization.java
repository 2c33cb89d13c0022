package dev.tessera.stages.preview;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.spec.Specs;
import dev.tessera.transforms.image.NormalizeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * The {@code normalization.json} beside a dataset's shards: the mean and std its float images were normalized
 * with, so a preview can show them in their true colours ({@code u8 = 255 * (v * std + mean)}) rather than
 * stretched. Written by the stages that normalize; absent for uint8 datasets.
 *
 * <pre>{@code
 * Normalization.write(outputDir, spec.normalize());
 * Optional<NormalizeSpec> n = Normalization.read(datasetDir);
 * }</pre>
 *
 * @param mean per-channel mean in [0, 1] units
 * @param std per-channel standard deviation in [0, 1] units
 */
public record Normalization(List<Double> mean, List<Double> std) {
  /** The file's name inside a dataset directory. */
  public static final String FILE_NAME = "normalization.json";
  private static final ObjectMapper JSON = Specs.mapper();

  /** Writes {@code spec} as {@code dir/normalization.json} (atomically). */
  public static void write(Path dir, NormalizeSpec spec) throws IOException {
    Normalization n = new Normalization(boxed(spec.mean()), boxed(spec.std()));
    Path temp = Files.createTempFile(dir, "." + FILE_NAME + ".", ".tmp");
    try {
      Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
      Files.move(temp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** The normalization recorded in {@code dir}, if any. */
  public static Optional<NormalizeSpec> read(Path dir) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Normalization n = JSON.readValue(file.toFile(), Normalization.class);
    try {
      return Optional.of(NormalizeSpec.of(n.mean(), n.std()));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IOException(file + " does not hold a valid normalization: " + e.getMessage(), e);
    }
  }

  private static List<Double> boxed(double[] values) {
    return java.util.Arrays.stream(values).boxed().toList();
  }
}
