package dev.tessera.stages.evaluate;

import dev.tessera.pipelines.artifact.ArtifactStore;
import dev.tessera.pipelines.artifact.Digests;
import dev.tessera.pipelines.artifact.Manifest;
import dev.tessera.pipelines.artifact.RemoteArtifacts;
import dev.tessera.pipelines.data.Locations;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
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
 * <p>The copies are bounded: after each fetch, the least recently used copies beyond {@link ModelCopyLimits}
 * (by default the newest 8, at most 4 GiB together) are removed, but never one that a thread or process of the
 * machine is using or fetching: hold it with {@link #use} until the model is loaded.
 *
 * <pre>{@code
 * try (ModelCopy.Lease copy = ModelCopy.use("s3://team/tessera/artifacts/3f2a.../", "sha256:9c1e...")) {
 *   predictor = ClassifierPredictor.load(copy.directory());
 * }
 * }</pre>
 */
public final class ModelCopy {
  /** One fetch at a time in this JVM; the rename into place guards against other processes. */
  private static final Object FETCHING = new Object();

  private ModelCopy() {}

  /**
   * The model's files in a local directory, held until the lease is closed so that no eviction on this machine
   * removes them meanwhile: {@code location} itself when local, else this machine's verified copy, fetched first
   * when it has none (then copies beyond {@link ModelCopyLimits#fromSystemProperties()} are removed).
   *
   * @param location the model artifact's folder: a local directory or {@code s3://...}
   * @param digest the artifact's content digest, {@code sha256:<hex>}
   * @throws IOException when the copy cannot be fetched, or its bytes differ from {@code digest}
   * @throws IllegalArgumentException when a limit's system property is not valid
   */
  public static Lease use(String location, String digest) throws IOException {
    Optional<Path> local = Locations.localPath(location);
    if (local.isPresent()) {
      return new Lease(local.get(), () -> {});
    }
    return use(ModelCopies.inTempDir(), location, digest, ModelCopyLimits.fromSystemProperties(),
        temp -> RemoteArtifacts.downloadFolder(Locations.folder(location), temp));
  }

  /** {@link #use} of a remote model in the folder {@code copies}, fetched into a new directory by {@code fetch}. */
  static Lease use(ModelCopies copies, String location, String digest, ModelCopyLimits limits, Fetch fetch)
      throws IOException {
    String hex = hex(digest);
    Path target = copies.copy(hex);
    Closeable hold = copies.hold(hex);
    try {
      boolean fetched;
      synchronized (FETCHING) {
        fetched = !verified(target, digest) && fetch(location, digest, copies.newFetch(hex), target, fetch);
      }
      copies.touch(hex);
      if (fetched) {
        copies.evict(limits);
      }
      return new Lease(target, hold);
    } catch (IOException | RuntimeException e) {
      hold.close();
      throw e;
    }
  }

  /** True when {@code target} holds the model; a copy whose bytes changed is deleted. */
  private static boolean verified(Path target, String digest) throws IOException {
    if (!Files.isDirectory(target)) {
      return false;
    }
    if (digest.equals(Digests.ofTree(target, List.of(Manifest.FILE_NAME)))) {
      return true;
    }
    ArtifactStore.deleteTree(target); // changed since it was fetched: fetch it again
    return false;
  }

  /**
   * Fetches the model into {@code temp}, then renames it to {@code target}; false when another process on this
   * machine put it there first.
   */
  private static boolean fetch(String location, String digest, Path temp, Path target, Fetch fetch)
      throws IOException {
    try {
      fetch.into(temp);
      String actual = Digests.ofTree(temp, List.of(Manifest.FILE_NAME));
      if (!actual.equals(digest)) {
        throw new IOException("the model at " + location + " has the digest " + actual + ", but the run expects "
            + digest + ": it changed on the artifact root. Train it again (tessera run ... --no-cache).");
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      return false; // another process on this machine fetched it first; its copy is checked when next used
    } finally {
      if (Files.exists(temp)) {
        ArtifactStore.deleteTree(temp);
      }
    }
  }

  /** Where this machine keeps its copy of the model with {@code digest}. */
  static Path cached(String digest) {
    return ModelCopies.inTempDir().copy(hex(digest));
  }

  private static String hex(String digest) {
    if (digest == null || !digest.matches("sha256:[0-9a-f]{64}")) {
      throw new IllegalArgumentException("a model digest must be sha256:<64 hex digits>, but was '" + digest + "'");
    }
    return digest.substring("sha256:".length());
  }

  /** Writes a model's files into an empty directory. */
  interface Fetch {
    void into(Path directory) throws IOException;
  }

  /** A model's local directory, kept on this machine until closed. */
  public static final class Lease implements Closeable {
    private final Path directory;
    private final Closeable hold;

    private Lease(Path directory, Closeable hold) {
      this.directory = directory;
      this.hold = hold;
    }

    /** The directory with the model's files. */
    public Path directory() {
      return directory;
    }

    /** Lets this machine remove the copy again (once the least recently used); closing twice does nothing. */
    @Override
    public void close() throws IOException {
      hold.close();
    }
  }
}
