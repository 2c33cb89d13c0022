package dev.tessera.stages.evaluate;

import dev.tessera.pipelines.artifact.ArtifactStore;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.data.Locations;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * A folder for the small files an evaluation's Beam workers write for the driver (a shard's predictions, the
 * combined counts), which both reach: with an artifact root in a bucket a folder in the stage's staging folder
 * there (workers on any machine write it through Beam's file systems), else a folder of the stage's local work
 * directory. The driver reads the files once the pipeline is done and {@link #delete}s the folder before the stage
 * returns, so they are never part of the artifact; a failed attempt's staging folder goes with them.
 *
 * <pre>{@code
 * HandOff predictions = HandOff.of(context, "predictions");
 * predictions.write("train-00000.arrow", bytes);          // on a worker
 * byte[] back = predictions.read("train-00000.arrow");    // on the driver, after the pipeline
 * }</pre>
 *
 * @param folder the folder's location ({@link Locations}), ending in '/'
 */
public record HandOff(String folder) implements Serializable {
  private static final long serialVersionUID = 1L;

  public HandOff {
    folder = Locations.folder(folder);
  }

  /** The hand-off folder {@code name} of the stage's current attempt. */
  public static HandOff of(StageContext context, String name) {
    String output = context.outputLocation();
    if (Locations.localPath(output).isPresent()) {
      return new HandOff(context.workDirectory().resolve(name + "-" + context.attempt()).toString());
    }
    return new HandOff(Locations.folder(output) + "_handoff/" + name);
  }

  /**
   * Writes {@code bytes} as {@code file} ('/'-separated, relative), replacing it whole: a retried bundle rewrites
   * the same content, and a reader never sees half a file.
   */
  public void write(String file, byte[] bytes) throws IOException {
    ResourceId target = Locations.resolve(folder, file);
    Optional<Path> local = Locations.localPath(target);
    if (local.isEmpty()) {
      Locations.write(target, bytes); // an object appears only once written whole
      return;
    }
    Path path = local.get();
    Files.createDirectories(path.getParent());
    Path temp = path.resolveSibling(path.getFileName() + ".tmp");
    Files.write(temp, bytes);
    Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Reads {@code file}, failing with what it means when a worker did not write it. */
  public byte[] read(String file) throws IOException {
    ResourceId source = Locations.resolve(folder, file);
    if (Locations.match(source.toString()).isEmpty()) {
      throw new IllegalStateException("the Beam workers did not leave " + source + " for the driver; they write "
          + "into the artifact root's staging folder when there is one, else into the run's work directory, "
          + "which then must be on a file system they share with the driver (as on the Direct runner and local "
          + "Flink and Spark). Set TESSERA_ARTIFACT_ROOT (--artifact-root) for workers on other machines.");
    }
    return Locations.read(source);
  }

  /** Deletes the folder and everything in it. */
  public void delete() throws IOException {
    Optional<Path> local = Locations.localPath(folder);
    if (local.isPresent()) {
      if (Files.exists(local.get())) {
        ArtifactStore.deleteTree(local.get());
      }
      return;
    }
    Locations.delete(Locations.match(folder + "**").stream().map(MatchResult.Metadata::resourceId).toList());
  }
}
