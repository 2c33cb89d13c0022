package dev.tessera.stages.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.beam.sdk.transforms.DoFn;

/** Hands the combined confusion counts to the driver: {@value #FILE} (JSON) in a {@link HandOff} folder. */
public final class WriteConfusionFn extends DoFn<ConfusionMatrix, Void> {
  private static final long serialVersionUID = 1L;
  /** The file's name in the folder. */
  public static final String FILE = "confusion.json";
  private final HandOff folder;

  public WriteConfusionFn(HandOff folder) {
    this.folder = folder;
  }

  @ProcessElement
  public void process(@Element ConfusionMatrix matrix) throws Exception {
    folder.write(FILE, new ObjectMapper().writeValueAsBytes(matrix.counts()));
  }
}
