package dev.tessera.pipelines.artifact;

import dev.tessera.pipelines.beam.BeamPipelines;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * The shared copy of an artifact store on a Beam file system, such as {@code s3://bucket/prefix} (Beam's AWS
 * module; an S3-compatible server through {@code --endpoint=http://host:port}), which every machine pointing at the
 * same root reads and writes.
 *
 * <p>Layout: {@code <root>/artifacts/<key>/...}, the files of the artifact with its {@code manifest.json}.
 * Object stores cannot rename a folder atomically, so the manifest is the publishing marker: an upload first
 * removes the old manifest, then writes every file, and writes the manifest last. A reader that finds no manifest
 * sees no artifact, so an upload killed half-way is invisible; a reader that finds one checks every byte against
 * its digest before using the copy. A stage whose Beam workers write to the root directly gets a folder under
 * {@code <root>/staging/} ({@link #newStaging}), published the same way by {@link #publishStaged}.
 */
public final class RemoteArtifacts {
  private final String root;

  private RemoteArtifacts(String root) {
    this.root = root;
  }

  /**
   * Opens the remote root and checks, before any stage runs, that this machine can write, read and delete there.
   *
   * @param root a Beam file system URI such as {@code s3://bucket/prefix}
   * @param pipelineArgs the run's Beam arguments, which configure the file systems ({@code --endpoint},
   *     {@code --awsRegion}); credentials come from the SDK's usual chain ({@code AWS_ACCESS_KEY_ID} ...)
   * @throws IllegalArgumentException for a root that is no URI, names no bucket, or cannot be used, naming the
   *     root and what to do
   */
  public static RemoteArtifacts open(String root, List<String> pipelineArgs) {
    URI uri;
    try {
      uri = URI.create(root);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the artifact root (TESSERA_ARTIFACT_ROOT) must be a URI such as "
          + "s3://bucket/prefix, but was '"
          + root + "': " + e.getMessage(), e);
    }
    if (uri.getScheme() == null || uri.getHost() == null || uri.getScheme().equals("file")) {
      throw new IllegalArgumentException("the artifact root (TESSERA_ARTIFACT_ROOT) must be a remote URI with a "
          + "bucket, such as s3://bucket/prefix, but was '" + root + "' (for a local folder set TESSERA_HOME instead)");
    }
    FileSystems.setDefaultPipelineOptions(BeamPipelines.options(pipelineArgs));
    RemoteArtifacts remote = new RemoteArtifacts(root.replaceAll("/+$", ""));
    remote.probe(uri);
    return remote;
  }

  /** The root URI, without a trailing slash. */
  public String root() {
    return root;
  }

  /** Uploads a published local artifact directory as the remote artifact {@code key}, its manifest last. */
  public void upload(Path directory, String key) throws IOException {
    String prefix = artifactPrefix(key);
    delete(prefix + Manifest.FILE_NAME);
    uploadWithManifestLast(directory, prefix);
  }

  /** Uploads every file of a local directory under {@code prefix}, its {@code manifest.json} last. */
  private static void uploadWithManifestLast(Path directory, String prefix) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(directory)) {
      files = walk.filter(Files::isRegularFile)
          .filter(p -> !directory.relativize(p).toString().equals(Manifest.FILE_NAME))
          .sorted().toList();
    }
    for (Path file : files) {
      copyUp(file, prefix + directory.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/"));
    }
    copyUp(directory.resolve(Manifest.FILE_NAME), prefix + Manifest.FILE_NAME);
  }

  /**
   * Downloads the remote artifact {@code key} into the empty folder {@code staging}, its manifest included.
   * Returns false, leaving {@code staging} empty, when the root holds no published artifact of that key (none, or
   * an upload that never wrote its manifest). The caller verifies the copy against its manifest.
   */
  public boolean download(String key, Path staging) throws IOException {
    String prefix = artifactPrefix(key);
    if (!exists(prefix + Manifest.FILE_NAME)) {
      return false;
    }
    downloadFolder(prefix, staging);
    return Files.exists(staging.resolve(Manifest.FILE_NAME));
  }

  /**
   * Copies every object under {@code folder} (a URI ending in '/', such as an artifact's folder on the root) into
   * the local directory {@code target}, keeping their '/'-separated relative paths. The caller verifies the copy.
   *
   * @throws IOException when an object cannot be read, or its name would leave {@code target}
   */
  public static void downloadFolder(String folder, Path target) throws IOException {
    MatchResult match = FileSystems.match(folder + "**");
    for (MatchResult.Metadata file : match.metadata()) {
      String name = file.resourceId().toString();
      if (!name.startsWith(folder) || name.endsWith("/")) {
        continue;
      }
      Path local = target.resolve(name.substring(folder.length())).normalize();
      if (!local.startsWith(target)) {
        throw new IOException("the folder " + folder + " holds an object outside it: " + name);
      }
      Files.createDirectories(local.getParent());
      try (InputStream in = Channels.newInputStream(FileSystems.open(file.resourceId()))) {
        Files.copy(in, local);
      }
    }
  }

  /**
   * A new staging folder for one attempt of the stage whose output is {@code key}:
   * {@code <root>/staging/<key>/<attempt>-<pid>-<random>/}. Workers write the stage's files there; nothing there
   * is an artifact until {@link #publishStaged} moves it into place and writes the manifest.
   */
  public String newStaging(String key, int attempt) {
    return root + "/staging/" + key + "/" + attempt + "-" + ProcessHandle.current().pid() + "-"
        + UUID.randomUUID().toString().substring(0, 8) + "/";
  }

  /** The folder of the published artifact {@code key}, {@code <root>/artifacts/<key>/}. */
  public String location(String key) {
    return artifactPrefix(key);
  }

  /** Whether the artifact {@code key} is published here (its manifest exists). */
  public boolean has(String key) throws IOException {
    return exists(artifactPrefix(key) + Manifest.FILE_NAME);
  }

  /** The files under a folder, by their '/'-separated path relative to it; empty when there are none. */
  public SortedMap<String, MatchResult.Metadata> list(String folder) throws IOException {
    SortedMap<String, MatchResult.Metadata> files = new TreeMap<>();
    MatchResult match = FileSystems.match(folder + "**");
    if (match.status() == MatchResult.Status.NOT_FOUND) {
      return files;
    }
    for (MatchResult.Metadata file : match.metadata()) {
      String name = file.resourceId().toString();
      if (name.startsWith(folder) && !name.endsWith("/")) {
        files.put(name.substring(folder.length()), file);
      }
    }
    return files;
  }

  /**
   * Publishes the artifact {@code key} from the {@code staged} files workers wrote into a staging folder (as
   * {@link #list} gives them; moved within the file system, never through this machine) and the files of the
   * local folder {@code local} (uploaded), whose {@code manifest.json} is written last. Until then a reader sees no
   * artifact, as with {@link #upload}.
   */
  public void publishStaged(SortedMap<String, MatchResult.Metadata> staged, Path local, String key)
      throws IOException {
    String prefix = artifactPrefix(key);
    delete(prefix + Manifest.FILE_NAME);
    List<ResourceId> from = new ArrayList<>();
    List<ResourceId> to = new ArrayList<>();
    for (Map.Entry<String, MatchResult.Metadata> file : staged.entrySet()) {
      from.add(file.getValue().resourceId());
      to.add(FileSystems.matchNewResource(prefix + file.getKey(), false));
    }
    FileSystems.rename(from, to);
    uploadWithManifestLast(local, prefix);
  }

  /** Deletes every object under a folder, such as a failed attempt's staging folder. */
  public void deleteFolder(String folder) throws IOException {
    List<ResourceId> files = list(folder).values().stream().map(MatchResult.Metadata::resourceId).toList();
    if (!files.isEmpty()) {
      FileSystems.delete(files, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    }
  }

  private String artifactPrefix(String key) {
    return root + "/artifacts/" + key + "/";
  }

  private static void copyUp(Path file, String uri) throws IOException {
    ResourceId target = FileSystems.matchNewResource(uri, false);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(target, MimeTypes.BINARY))) {
      Files.copy(file, out);
    }
  }

  private static boolean exists(String uri) throws IOException {
    MatchResult match = FileSystems.match(uri);
    if (match.status() == MatchResult.Status.NOT_FOUND) {
      return false;
    }
    if (match.status() != MatchResult.Status.OK) {
      // match() defers its failure to metadata(), which throws it.
      match.metadata();
    }
    return !match.metadata().isEmpty();
  }

  private static void delete(String uri) throws IOException {
    FileSystems.delete(List.of(FileSystems.matchNewResource(uri, false)),
        MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  /** Writes, reads back and deletes a small object, turning each way this can fail into a message with a fix. */
  private void probe(URI uri) {
    String probe = root + "/tmp/probe-" + UUID.randomUUID();
    byte[] text = "tessera artifact root probe\n".getBytes(StandardCharsets.UTF_8);
    try {
      ResourceId target = FileSystems.matchNewResource(probe, false);
      try (OutputStream out = Channels.newOutputStream(FileSystems.create(target, MimeTypes.TEXT))) {
        out.write(text);
      }
      try (InputStream in = Channels.newInputStream(FileSystems.open(target))) {
        if (!java.util.Arrays.equals(text, in.readAllBytes())) {
          throw new IOException("the object read back differs from the one written");
        }
      }
      delete(probe);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(problem(uri, e), e);
    }
  }

  /** What went wrong writing to the root, and what to do, from the failure's chain of causes. */
  static String problem(URI uri, Throwable failure) {
    String where = "artifact root " + uri;
    String reason = reason(uri, failure);
    if (reason != null) {
      return where + ": " + reason;
    }
    String text = causes(failure);
    if (failure instanceof FileNotFoundException) {
      return where + ": an object written there could not be read back (" + firstLine(text) + ")";
    }
    return where + ": cannot write, read and delete a test object there (" + firstLine(text) + ")";
  }

  /**
   * {@code failure} of a Beam worker that tried to {@code action} ("write", "read") {@code file} on a remote file
   * system, told as what went wrong there and what to do (the server cannot be reached, the bucket does not exist,
   * the credentials are refused), naming the worker's host and the file; null when its causes say nothing of the
   * kind, or the file is local (rethrow {@code failure} then). The stage's error then says why the worker failed
   * instead of only the storage client's stack.
   *
   * <pre>{@code
   * } catch (IOException | RuntimeException e) {
   *   IOException told = RemoteArtifacts.workerProblem("write", file, e);
   *   if (told != null) throw told;
   *   throw e;
   * }
   * }</pre>
   */
  public static IOException workerProblem(String action, ResourceId file, Throwable failure) {
    if (file.getScheme().equals("file")) {
      return null;
    }
    String reason;
    try {
      reason = reason(URI.create(file.toString()), failure);
    } catch (IllegalArgumentException notAUri) {
      return null;
    }
    if (reason == null) {
      return null;
    }
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException | RuntimeException e) {
      host = "this machine";
    }
    return new IOException("a worker on " + host + " cannot " + action + " " + file + " on the artifact root: "
        + reason, failure);
  }

  /** What a failure to use {@code uri} means, and the fix; null when its causes say nothing known. */
  private static String reason(URI uri, Throwable failure) {
    String bucket = uri.getHost();
    String text = causes(failure);
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.contains("no filesystem found for scheme")) {
      return "no Beam file system serves the scheme '" + uri.getScheme() + "' on this class path "
          + "(s3:// comes with Tessera; others need their Beam IO module's jar on the class path)";
    }
    if (lower.contains("nosuchbucket") || lower.contains("bucket does not exist")) {
      return "the bucket '" + bucket + "' does not exist. Create it (aws s3 mb s3://" + bucket
          + ", adding --endpoint-url for an S3-compatible server) or set TESSERA_ARTIFACT_ROOT (--artifact-root) "
          + "to an existing bucket";
    }
    if (lower.contains("invalidaccesskeyid") || lower.contains("signaturedoesnotmatch")
        || lower.contains("accessdenied") || lower.contains("access denied") || lower.contains("status code: 403")
        || lower.contains("forbidden") || lower.contains("unable to load credentials")
        || lower.contains("expiredtoken")) {
      return "the bucket '" + bucket + "' refused the credentials (" + firstLine(text) + "). Set "
          + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE, ~/.aws/credentials) to a key that may "
          + "read, write and delete under " + uri;
    }
    if (lower.contains("unable to execute http request") || lower.contains("connection refused")
        || lower.contains("unknownhost") || lower.contains("connect timed out")) {
      return "the storage server for the bucket '" + bucket + "' cannot be reached (" + firstLine(text)
          + "). Check --endpoint (AWS_ENDPOINT_URL for the tessera CLI) and the network";
    }
    return null;
  }

  /** The failure's chain of causes, one "Type: message" line each (at most about 4,000 characters). */
  private static String causes(Throwable failure) {
    StringBuilder chain = new StringBuilder();
    for (Throwable t = failure; t != null && chain.length() < 4000; t = t.getCause()) {
      chain.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append('\n');
    }
    return chain.toString();
  }

  private static String firstLine(String text) {
    String line = text.lines().findFirst().orElse("");
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
