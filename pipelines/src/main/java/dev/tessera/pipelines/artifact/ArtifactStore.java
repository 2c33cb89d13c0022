package dev.tessera.pipelines.artifact;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.spec.Specs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * A local directory of immutable artifacts, each stored under its cache key.
 *
 * <p>Layout: {@code artifacts/<key>/} (the content plus {@code manifest.json}) and {@code tmp/} for artifacts being
 * written. A stage writes into a staging directory from {@link #newStaging()}; {@link #publish} digests it, writes
 * the manifest and renames the whole directory into place in one atomic move, so a reader sees either nothing or
 * the complete artifact. An interrupted write leaves only a staging directory, which {@link #cleanStaging()}
 * removes once the process that made it is gone.
 *
 * <p>With a {@link RemoteArtifacts} root ({@code s3://bucket/prefix}), the local directory is a cache of it:
 * every published artifact is also uploaded there, and an artifact missing here is downloaded from there, verified
 * against its digest and installed here, so runs on other machines reuse it. A stage whose Beam workers write to
 * the root directly ({@link #newRemoteStaging}) is published there only, and downloaded by {@link #localize} when
 * a stage needs its files here.
 */
public final class ArtifactStore {
  private static final ObjectMapper JSON = Specs.mapper();
  private final Path root;
  private final Path artifacts;
  private final Path tmp;
  private final RemoteArtifacts remote;

  /** A store in {@code root} alone. */
  public ArtifactStore(Path root) {
    this(root, null);
  }

  /** A store in {@code root} that mirrors every artifact to {@code remote} (none when null). */
  public ArtifactStore(Path root, RemoteArtifacts remote) {
    this.remote = remote;
    this.root = root;
    this.artifacts = root.resolve("artifacts");
    this.tmp = root.resolve("tmp");
    try {
      Files.createDirectories(artifacts);
      Files.createDirectories(tmp);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the artifact store in " + root
          + " (set TESSERA_HOME to a writable directory)", e);
    }
  }

  /** The folder the store lives in (the Tessera home), beside which other per-home state is kept. */
  public Path root() {
    return root;
  }

  /** A new, empty staging directory owned by this process. */
  public Path newStaging() {
    try {
      return Files.createDirectory(tmp.resolve(ProcessHandle.current().pid() + "-" + UUID.randomUUID()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a staging directory in " + tmp, e);
    }
  }

  /**
   * Publishes a staging directory as the artifact for {@code key}, replacing an existing one.
   *
   * @param staging a directory from {@link #newStaging()}; it is moved, not copied
   * @param key the cache key (64 hex characters)
   * @param kind the artifact kind id
   * @param itemCount the number of items
   * @param runId the producing run
   * @param stage the producing stage
   * @param properties extra facts for the manifest
   */
  public Artifact publish(Path staging, String key, String kind, long itemCount, String runId, String stage,
      Map<String, String> properties) throws IOException {
    String digest = Digests.ofTree(staging, List.of(Manifest.FILE_NAME));
    Manifest manifest = new Manifest(kind, itemCount, digest, runId, stage, key, System.currentTimeMillis(),
        properties);
    Path manifestFile = staging.resolve(Manifest.FILE_NAME);
    Files.write(manifestFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
    syncTree(staging);
    Path target = artifacts.resolve(key);
    removeExisting(target);
    install(staging, target);
    if (remote != null) {
      remote.upload(target, key);
    }
    return new Artifact(key, target, manifest);
  }

  /**
   * A staging folder on the remote root for one attempt of the stage whose output is {@code key}, where Beam
   * workers write the stage's files directly ({@link RemoteArtifacts#newStaging}); empty without a remote root.
   */
  public Optional<String> newRemoteStaging(String key, int attempt) {
    return remote == null ? Optional.empty() : Optional.of(remote.newStaging(key, attempt));
  }

  /**
   * Publishes the files workers wrote into {@code remoteStaging} together with those in the local
   * {@code staging} directory as the artifact for {@code key}. Its digest is computed from the bytes as they are
   * stored (the staged objects read back from the root), its manifest is written last on the root, and this
   * machine keeps no copy: {@link #localize} downloads one, verified, for a stage that reads files locally. When
   * the workers wrote nothing there (a stage that works locally), this is {@link #publish(Path, String, String,
   * long, String, String, Map)}.
   */
  public Artifact publish(Path staging, String remoteStaging, String key, String kind, long itemCount, String runId,
      String stage, Map<String, String> properties) throws IOException {
    SortedMap<String, MatchResult.Metadata> staged =
        remote == null || remoteStaging == null ? new TreeMap<>() : remote.list(remoteStaging);
    if (staged.isEmpty()) {
      return publish(staging, key, kind, itemCount, runId, stage, properties);
    }
    SortedMap<String, Digests.Content> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(staging)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        String name = staging.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        if (!name.equals(Manifest.FILE_NAME)) {
          files.put(name, new Digests.Content(Files.size(file), () -> Files.newInputStream(file)));
        }
      }
    }
    for (var file : staged.entrySet()) {
      if (file.getKey().equals(Manifest.FILE_NAME) || files.containsKey(file.getKey())) {
        throw new IOException("stage '" + stage + "' wrote " + file.getKey() + " both into its local output "
            + "directory and into " + remoteStaging + "; write every file to one of them");
      }
      var id = file.getValue().resourceId();
      files.put(file.getKey(), new Digests.Content(file.getValue().sizeBytes(),
          () -> Channels.newInputStream(FileSystems.open(id))));
    }
    String digest = Digests.ofFiles(files);
    Manifest manifest = new Manifest(kind, itemCount, digest, runId, stage, key, System.currentTimeMillis(),
        properties);
    byte[] manifestBytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
    Files.write(staging.resolve(Manifest.FILE_NAME), manifestBytes);
    remote.publishStaged(staged, staging, key);
    Path target = artifacts.resolve(key);
    removeExisting(target);
    deleteTree(staging);
    return new Artifact(key, target, manifest);
  }

  /**
   * The artifact with its files in this store, downloading them from the remote root (verified) when a stage
   * published them there only. Fails naming the key and why when neither has a usable copy.
   */
  public Artifact localize(Artifact artifact) {
    if (Files.isDirectory(artifact.directory())) {
      return artifact;
    }
    Verification verification = verify(artifact.key());
    return verification.artifact().orElseThrow(() -> new IllegalStateException("artifact " + artifact.key()
        + " of stage '" + artifact.manifest().stage() + "' cannot be used here: " + verification.reason()));
  }

  /**
   * Where Beam workers read the artifact: its folder on the remote root (uploaded there first if only this
   * machine has it), else its local directory.
   */
  public String location(Artifact artifact) throws IOException {
    if (remote == null) {
      return artifact.directory().toString();
    }
    if (!remote.has(artifact.key())) {
      remote.upload(localize(artifact).directory(), artifact.key());
    }
    return remote.location(artifact.key());
  }

  /** Deletes a remote staging folder of a failed attempt; a failure to do so is added to {@code failure}. */
  public void discardRemoteStaging(String remoteStaging, Throwable failure) {
    if (remote != null && remoteStaging != null) {
      try {
        remote.deleteFolder(remoteStaging);
      } catch (IOException | RuntimeException e) {
        failure.addSuppressed(e); // what is left there is never visible as an artifact
      }
    }
  }

  /** The remote root this store mirrors, if any. */
  public Optional<RemoteArtifacts> remote() {
    return Optional.ofNullable(remote);
  }

  /** Moves an existing artifact aside and deletes it, so a new one can take its place. */
  private void removeExisting(Path target) throws IOException {
    if (Files.exists(target)) {
      Path old = tmp.resolve(ProcessHandle.current().pid() + "-replaced-" + UUID.randomUUID());
      moveAtomically(target, old);
      deleteTree(old);
    }
  }

  private static void install(Path staging, Path target) throws IOException {
    try {
      moveAtomically(staging, target);
    } catch (FileAlreadyExistsException e) {
      // Another process published the same key meanwhile; the same key means the same content.
      deleteTree(staging);
    }
  }

  /**
   * Looks up the artifact for {@code key} and verifies its content digest against its manifest; with a remote
   * root, an artifact missing here is first downloaded from there.
   */
  public Verification verify(String key) {
    Verification local = verifyLocal(key);
    if (local.usable() || remote == null) {
      return local;
    }
    Path staging = newStaging();
    try {
      if (!remote.download(key, staging)) {
        deleteTree(staging);
        return local;
      }
      Manifest manifest = JSON.readValue(staging.resolve(Manifest.FILE_NAME).toFile(), Manifest.class);
      String actual = Digests.ofTree(staging, List.of(Manifest.FILE_NAME));
      if (!actual.equals(manifest.digest())) {
        deleteTree(staging);
        return Verification.unusable("its copy in " + remote.root() + " changed: digest " + actual
            + " but its manifest says " + manifest.digest());
      }
      syncTree(staging);
      Path target = artifacts.resolve(key);
      removeExisting(target);
      install(staging, target);
    } catch (IOException | RuntimeException e) {
      try {
        deleteTree(staging);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup); // cleanStaging() removes the folder once this process is gone
      }
      return Verification.unusable("not here, and its copy in " + remote.root() + " cannot be read ("
          + e.getMessage() + ")");
    }
    return verifyLocal(key);
  }

  private Verification verifyLocal(String key) {
    Path dir = artifacts.resolve(key);
    Path manifestFile = dir.resolve(Manifest.FILE_NAME);
    if (!Files.isDirectory(dir)) {
      return Verification.unusable("no artifact in the store");
    }
    Manifest manifest;
    try {
      manifest = JSON.readValue(manifestFile.toFile(), Manifest.class);
    } catch (IOException e) {
      return Verification.unusable("its manifest is missing or unreadable (" + e.getMessage() + ")");
    }
    try {
      String actual = Digests.ofTree(dir, List.of(Manifest.FILE_NAME));
      if (!actual.equals(manifest.digest())) {
        return Verification.unusable("its content changed: digest " + actual + " but the manifest says "
            + manifest.digest());
      }
    } catch (IOException | UncheckedIOException e) {
      return Verification.unusable("its content cannot be read (" + e.getMessage() + ")");
    }
    return Verification.ok(new Artifact(key, dir, manifest));
  }

  /** The directory an artifact with this key has or would have. */
  public Path location(String key) {
    return artifacts.resolve(key);
  }

  /** Removes staging directories left behind by processes that no longer run. Returns how many. */
  public int cleanStaging() {
    int removed = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        int dash = name.indexOf('-');
        long pid;
        try {
          pid = Long.parseLong(name.substring(0, Math.max(dash, 0)));
        } catch (NumberFormatException e) {
          continue;
        }
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        deleteTree(entry);
        removed++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean " + tmp, e);
    }
    return removed;
  }

  private static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the artifact store needs atomic renames; " + from.getParent()
          + " and " + to.getParent() + " must be on the same file system", e);
    }
  }

  private static void syncTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
          channel.force(true);
        }
      }
    }
  }

  /** The bytes of the regular files under {@code root}. */
  public static long sizeOf(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      long sum = 0;
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        sum += Files.size(file);
      }
      return sum;
    }
  }

  /** Deletes a directory tree if it exists. */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
