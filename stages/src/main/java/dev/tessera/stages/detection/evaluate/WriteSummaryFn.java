package dev.tessera.stages.detection.evaluate;

import dev.tessera.stages.detection.coco.CocoSummary;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.beam.sdk.transforms.DoFn;

/** Hands the combined COCO summary from the pipeline to the driver through a file (Java serialization). */
final class WriteSummaryFn extends DoFn<CocoSummary, Void> {
  private final String file;

  WriteSummaryFn(Path file) {
    this.file = file.toString();
  }

  @ProcessElement
  public void process(@Element CocoSummary summary) throws IOException {
    Path target = Path.of(file);
    Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(temp))) {
      out.writeObject(summary);
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static CocoSummary read(Path file) throws IOException {
    try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(file))) {
      return (CocoSummary) in.readObject();
    } catch (ClassNotFoundException e) {
      throw new IOException("cannot read the COCO summary " + file + ": " + e.getMessage(), e);
    }
  }
}
