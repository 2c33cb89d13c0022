package dev.tessera.stages.detection.evaluate;

import dev.tessera.stages.detection.coco.CocoSummary;
import dev.tessera.stages.evaluate.HandOff;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Hands the combined COCO summary from the pipeline to the driver: {@value #FILE} (Java serialization) in a
 * {@link HandOff} folder.
 */
final class WriteSummaryFn extends DoFn<CocoSummary, Void> {
  static final String FILE = "coco-summary.bin";
  private final HandOff folder;

  WriteSummaryFn(HandOff folder) {
    this.folder = folder;
  }

  @ProcessElement
  public void process(@Element CocoSummary summary) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(summary);
    }
    folder.write(FILE, bytes.toByteArray());
  }

  static CocoSummary read(HandOff folder) throws IOException {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(folder.read(FILE)))) {
      return (CocoSummary) in.readObject();
    } catch (ClassNotFoundException e) {
      throw new IOException("cannot read the COCO summary in " + folder.folder() + ": " + e.getMessage(), e);
    }
  }
}
