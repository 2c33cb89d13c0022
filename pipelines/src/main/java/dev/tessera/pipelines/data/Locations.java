package dev.tessera.pipelines.data;

import dev.tessera.pipelines.artifact.RemoteArtifacts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Files of a dataset named by a location string: a local directory ({@code /data/x}) or a folder on any Beam file
 * system ({@code s3://bucket/prefix/x}). Strings, not {@link Path}s, so that a Beam {@code DoFn} can carry them to
 * workers on other machines, which open them through {@link FileSystems} (configured there by the runner from
 * the pipeline options). Local locations keep their {@code java.nio} behaviour: atomic renames, memory-mapped
 * reads.
 */
public final class Locations {
  private Locations() {}

  /** The file {@code relative} ({@code train/train-00000.arrow}, '/'-separated) inside the folder {@code dir}. */
  public static ResourceId resolve(String dir, String relative) {
    if (relative.startsWith("/") || List.of(relative.split("/")).contains("..")) {
      throw new IllegalArgumentException("a file inside a dataset must be a relative path without '..', but was '"
          + relative + "'");
    }
    return FileSystems.matchNewResource(folder(dir) + relative, false);
  }

  /** {@code dir} with exactly one trailing '/'. */
  public static String folder(String dir) {
    return dir.replaceAll("/+$", "") + "/";
  }

  /** The local path of a file on the local file system, or empty for a remote one. */
  public static Optional<Path> localPath(ResourceId file) {
    return file.getScheme().equals("file") ? Optional.of(Path.of(file.toString())) : Optional.empty();
  }

  /** The local path of a folder location, or empty for a remote one ({@code s3://...}). */
  public static Optional<Path> localPath(String dir) {
    return localPath(FileSystems.matchNewResource(folder(dir), true));
  }

  /** Writes a small file in one piece (on object storage it appears only once complete). */
  public static void write(ResourceId file, byte[] bytes, String mimeType) throws IOException {
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(file, mimeType))) {
      out.write(bytes);
    } catch (IOException | RuntimeException e) {
      throw told("write", file, e);
    }
  }

  /** Writes a small binary file in one piece. */
  public static void write(ResourceId file, byte[] bytes) throws IOException {
    write(file, bytes, MimeTypes.BINARY);
  }

  /** Reads a small file whole. */
  public static byte[] read(ResourceId file) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(file))) {
      return in.readAllBytes();
    } catch (IOException | RuntimeException e) {
      throw told("read", file, e);
    }
  }

  /**
   * {@code failure} to {@code action} {@code file}, told as a problem with the artifact root when its causes say
   * what went wrong there ({@link RemoteArtifacts#workerProblem}), else as it was.
   */
  public static IOException told(String action, ResourceId file, Exception failure) {
    IOException told = RemoteArtifacts.workerProblem(action, file, failure);
    if (told != null) {
      return told;
    }
    if (failure instanceof RuntimeException runtime) {
      throw runtime;
    }
    return (IOException) failure;
  }

  /** The files matching a glob such as {@code s3://b/p/**.info.json}; none when nothing matches. */
  public static List<MatchResult.Metadata> match(String glob) throws IOException {
    MatchResult match = FileSystems.match(glob);
    if (match.status() == MatchResult.Status.NOT_FOUND) {
      return List.of();
    }
    return match.metadata();
  }

  /** Deletes files, ignoring those already gone. */
  public static void delete(List<ResourceId> files) throws IOException {
    if (!files.isEmpty()) {
      FileSystems.delete(files, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    }
  }
}
