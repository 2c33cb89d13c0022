package dev.tessera.pipelines.tracking.mlflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * MLflow's standard system tags for a run started from this process: run name, user, source name and type, and
 * the git commit of the working directory when it is inside a git repository.
 */
public final class SystemTags {
  public static final String RUN_NAME = "mlflow.runName";
  public static final String USER = "mlflow.user";
  public static final String SOURCE_NAME = "mlflow.source.name";
  public static final String SOURCE_TYPE = "mlflow.source.type";
  public static final String GIT_COMMIT = "mlflow.source.git.commit";
  public static final String PARENT_RUN_ID = "mlflow.parentRunId";
  public static final String NOTE = "mlflow.note.content";

  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
  private static final Duration GIT_TIMEOUT = Duration.ofSeconds(10);

  private SystemTags() {}

  /**
   * The standard tags for this process: the source name is the main class or jar ({@code sun.java.command}),
   * the git commit that of the working directory ({@code user.dir}).
   *
   * <pre>{@code
   * TrackedRun run = tracker.startRun("mnist-lenet", runId, SystemTags.forCurrentProcess(runId));
   * }</pre>
   */
  public static Map<String, String> forCurrentProcess(String runName) {
    String command = System.getProperty("sun.java.command", "").strip();
    String source = command.isEmpty() ? "tessera" : command.split("\\s+", 2)[0];
    return of(runName, source, Path.of(System.getProperty("user.dir", ".")));
  }

  /**
   * The standard tags: {@code mlflow.runName}, {@code mlflow.user} ({@code user.name}), {@code mlflow.source.name},
   * {@code mlflow.source.type} = {@code LOCAL}, and {@code mlflow.source.git.commit} when {@code workingDirectory}
   * is inside a git work tree with a commit (omitted otherwise).
   */
  public static Map<String, String> of(String runName, String sourceName, Path workingDirectory) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(RUN_NAME, runName);
    tags.put(USER, System.getProperty("user.name", "unknown"));
    tags.put(SOURCE_NAME, sourceName);
    tags.put(SOURCE_TYPE, "LOCAL");
    gitCommit(workingDirectory).ifPresent(commit -> tags.put(GIT_COMMIT, commit));
    return tags;
  }

  /**
   * The commit checked out in the git work tree containing {@code directory}: found by walking up to {@code .git}
   * (a directory, or a file pointing to a linked worktree's git directory) and reading {@code HEAD}, loose refs
   * and {@code packed-refs}; if those cannot be read (e.g. the reftable format), {@code git rev-parse HEAD} when
   * git is installed. Empty outside a repository or before the first commit.
   */
  public static Optional<String> gitCommit(Path directory) {
    Path start = directory.toAbsolutePath().normalize();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path dotGit = dir.resolve(".git");
      if (Files.exists(dotGit)) {
        Optional<String> fromFiles = readCommit(dotGit);
        return fromFiles.isPresent() ? fromFiles : gitRevParse(dir);
      }
    }
    return Optional.empty();
  }

  private static Optional<String> readCommit(Path dotGit) {
    try {
      Path gitDir = dotGit;
      if (Files.isRegularFile(dotGit)) {
        String pointer = Files.readString(dotGit, StandardCharsets.UTF_8).strip();
        if (!pointer.startsWith("gitdir:")) {
          return Optional.empty();
        }
        gitDir = dotGit.getParent().resolve(pointer.substring("gitdir:".length()).strip()).normalize();
      }
      Path commonDir = gitDir;
      Path commonFile = gitDir.resolve("commondir");
      if (Files.isRegularFile(commonFile)) {
        commonDir = gitDir.resolve(Files.readString(commonFile, StandardCharsets.UTF_8).strip()).normalize();
      }
      String head = Files.readString(gitDir.resolve("HEAD"), StandardCharsets.UTF_8).strip();
      for (int depth = 0; depth < 5; depth++) {
        if (COMMIT.matcher(head).matches()) {
          return Optional.of(head);
        }
        if (!head.startsWith("ref:")) {
          return Optional.empty();
        }
        String ref = head.substring("ref:".length()).strip();
        Optional<String> next = readRef(gitDir, commonDir, ref);
        if (next.isEmpty()) {
          return Optional.empty();
        }
        head = next.get();
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** A ref's content: a loose ref in the worktree's or the common git directory, else its packed-refs line. */
  private static Optional<String> readRef(Path gitDir, Path commonDir, String ref) throws IOException {
    if (ref.contains("..")) {
      return Optional.empty();
    }
    for (Path base : new Path[] {gitDir, commonDir}) {
      Path loose = base.resolve(ref);
      if (Files.isRegularFile(loose)) {
        return Optional.of(Files.readString(loose, StandardCharsets.UTF_8).strip());
      }
    }
    Path packed = commonDir.resolve("packed-refs");
    if (Files.isRegularFile(packed)) {
      for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
        if (line.startsWith("#") || line.startsWith("^")) {
          continue;
        }
        String[] parts = line.strip().split(" ", 2);
        if (parts.length == 2 && parts[1].equals(ref)) {
          return Optional.of(parts[0]);
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> gitRevParse(Path workTree) {
    try {
      Process process = new ProcessBuilder("git", "-C", workTree.toString(), "rev-parse", "HEAD")
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(GIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return Optional.empty();
      }
      String commit = new String(out, StandardCharsets.UTF_8).strip();
      return process.exitValue() == 0 && COMMIT.matcher(commit).matches() ? Optional.of(commit) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // git is not installed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
