package dev.tessera.stages.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.beam.sdk.transforms.DoFn;

/** Writes the combined confusion counts where the driver reads them after the pipeline finished. */
public final class WriteConfusionFn extends DoFn<ConfusionMatrix, Void> {
  private static final long serialVersionUID = 1L;
  private final String file;

  public WriteConfusionFn(Path file) {
    this.file = file.toString();
  }

  @ProcessElement
  public void process(@Element ConfusionMatrix matrix) throws Exception {
    Path target = Path.of(file);
    Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.write(temp, new ObjectMapper().writeValueAsBytes(matrix.counts()));
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The counts the pipeline wrote to {@code file}. */
  public static ConfusionMatrix read(Path file) throws java.io.IOException {
    return ConfusionMatrix.of(new ObjectMapper().readValue(file.toFile(), long[][].class));
  }
}
