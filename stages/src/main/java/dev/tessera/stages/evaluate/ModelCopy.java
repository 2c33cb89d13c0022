package dev.tessera.stages.evaluate;

import dev.tessera.pipelines.artifact.ArtifactStore;
import dev.tessera.pipelines.artifact.Digests;
import dev.tessera.pipelines.artifact.Manifest;
import dev.tessera.pipelines.artifact.RemoteArtifacts;
import dev.tessera.pipelines.data.Locations;
import dev.tessera.pipelines.spec.Specs;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * A model artifact as a local directory on the machine that runs this code (the driver, or a Beam worker on any
 * machine of a cluster): DJL loads a model only from local files. An artifact whose location is a local
 * directory is used where it is. One on the artifact root ({@code s3://bucket/tessera/artifacts/<key>/}) is
 * fetched once per machine and model into {@code <java.io.tmpdir>/tessera-models/<digest>/}, checked against the
 * model's digest, and reused by every later evaluation of that model there; a copy whose bytes no longer match is
 * fetched again. The datasets an evaluation reads are not copied: its workers read the shards where they are.
 *
 * <pre>{@code
 * Path dir = ModelCopy.local("s3://team/tessera/artifacts/3f2a.../", "sha256:9c1e...");
 * ClassifierPredictor predictor = ClassifierPredictor.load(dir);
 * }</pre>
 */
public final class ModelCopy {
  /** One fetch at a time in this JVM; the rename into place guards against other processes. */
  private static final Object FETCHING = new Object();

  private ModelCopy() {}

  /**
   * The digest ({@code sha256:<hex>}) that the published manifest of the artifact at {@code location} (a local
   * directory or a folder on any Beam file system) records. A local model directory without a manifest (a
   * registered model version's files, such as the champion a promotion gate measures again) is digested from its
   * files.
   */
  public static String digest(String location) throws IOException {
    Optional<Path> local = Locations.localPath(location);
    if (local.isPresent() && !Files.exists(local.get().resolve(Manifest.FILE_NAME))) {
      return Digests.ofTree(local.get(), List.of(Manifest.FILE_NAME));
    }
    byte[] manifest = Locations.read(Locations.resolve(location, Manifest.FILE_NAME));
    return Specs.mapper().readValue(manifest, Manifest.class).digest();
  }

  /**
   * The model's files in a local directory: {@code location} itself when local, else this machine's verified copy.
   *
   * @param location the model artifact's folder: a local directory or {@code s3://...}
   * @param digest the artifact's content digest, {@code sha256:<hex>}
   * @throws IOException when the copy cannot be fetched, or its bytes differ from {@code digest}
   */
  public static Path local(String location, String digest) throws IOException {
    Optional<Path> local = Locations.localPath(location);
    if (local.isPresent()) {
      return local.get();
    }
    Path target = cached(digest);
    synchronized (FETCHING) {
      if (Files.isDirectory(target)) {
        if (digest.equals(Digests.ofTree(target, List.of(Manifest.FILE_NAME)))) {
          return target;
        }
        ArtifactStore.deleteTree(target); // changed since it was fetched: fetch it again
      }
      Files.createDirectories(target.getParent());
      Path temp = Files.createTempDirectory(target.getParent(), ".fetch-");
      try {
        RemoteArtifacts.downloadFolder(Locations.folder(location), temp);
        String actual = Digests.ofTree(temp, List.of(Manifest.FILE_NAME));
        if (!actual.equals(digest)) {
          throw new IOException("the model at " + location + " has the digest " + actual + ", but the run expects "
              + digest + ": it changed on the artifact root. Train it again (tessera run ... --no-cache).");
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
        // Another process on this machine fetched it first; its copy is checked when next used.
      } finally {
        if (Files.exists(temp)) {
          ArtifactStore.deleteTree(temp);
        }
      }
    }
    return target;
  }

  /** Where this machine keeps its copy of the model with {@code digest}. */
  static Path cached(String digest) {
    if (!digest.matches("sha256:[0-9a-f]{64}")) {
      throw new IllegalArgumentException("a model digest must be sha256:<64 hex digits>, but was '" + digest + "'");
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "tessera-models", digest.substring("sha256:".length()));
  }
}
