package dev.tessera.pipelines.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tessera.pipelines.testing.PythonEnv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemTagsTest {
  private static final String A = "1111111111111111111111111111111111111111";
  private static final String B = "2222222222222222222222222222222222222222";

  @TempDir
  Path tmp;

  @Test
  void buildsStandardTags() throws IOException {
    Path repo = gitDir(tmp.resolve("repo"), "ref: refs/heads/main\n");
    Files.writeString(repo.resolve(".git/refs/heads/main"), A + "\n");
    Path sub = Files.createDirectories(repo.resolve("a/b"));
    assertEquals(Map.of(
        "mlflow.runName", "run-7",
        "mlflow.user", System.getProperty("user.name"),
        "mlflow.source.name", "dev.tessera.Main",
        "mlflow.source.type", "LOCAL",
        "mlflow.source.git.commit", A), SystemTags.of("run-7", "dev.tessera.Main", sub));
  }

  @Test
  void omitsCommitOutsideARepository() throws IOException {
    Path plain = Files.createDirectories(tmp.resolve("plain"));
    assertFalse(SystemTags.of("r", "s", plain).containsKey(SystemTags.GIT_COMMIT));
  }

  @Test
  void readsPackedRefs() throws IOException {
    Path repo = gitDir(tmp.resolve("repo"), "ref: refs/heads/feature/x\n");
    Files.writeString(repo.resolve(".git/packed-refs"),
        "# pack-refs with: peeled fully-peeled sorted\n" + B + " refs/heads/feature/x\n^" + A + "\n");
    assertEquals(Optional.of(B), SystemTags.gitCommit(repo));
  }

  @Test
  void readsDetachedHead() throws IOException {
    Path repo = gitDir(tmp.resolve("repo"), A + "\n");
    assertEquals(Optional.of(A), SystemTags.gitCommit(repo));
  }

  @Test
  void followsLinkedWorktreeToItsCommonDirectory() throws IOException {
    Path main = gitDir(tmp.resolve("main"), "ref: refs/heads/main\n");
    Files.writeString(main.resolve(".git/refs/heads/main"), A + "\n");
    Files.writeString(main.resolve(".git/refs/heads/topic"), B + "\n");
    Path wtGit = Files.createDirectories(main.resolve(".git/worktrees/wt"));
    Files.writeString(wtGit.resolve("HEAD"), "ref: refs/heads/topic\n");
    Files.writeString(wtGit.resolve("commondir"), "../..\n");
    Path worktree = Files.createDirectories(tmp.resolve("wt"));
    Files.writeString(worktree.resolve(".git"), "gitdir: " + wtGit + "\n");
    assertEquals(Optional.of(B), SystemTags.gitCommit(worktree));
  }

  @Test
  void agreesWithGitOnARealRepository() throws IOException {
    Path repo = Files.createDirectories(tmp.resolve("real"));
    Map<String, String> env = Map.of("GIT_AUTHOR_NAME", "t", "GIT_AUTHOR_EMAIL", "t@example.invalid",
        "GIT_COMMITTER_NAME", "t", "GIT_COMMITTER_EMAIL", "t@example.invalid");
    Duration timeout = Duration.ofSeconds(30);
    assumeTrue(gitInstalled(), "git is not installed");
    PythonEnv.exec(List.of("git", "init", "-q", repo.toString()), env, timeout);
    assertEquals(Optional.empty(), SystemTags.gitCommit(repo)); // no commit yet
    Files.writeString(repo.resolve("f.txt"), "x");
    PythonEnv.exec(List.of("git", "-C", repo.toString(), "add", "f.txt"), env, timeout);
    PythonEnv.exec(List.of("git", "-C", repo.toString(), "commit", "-q", "-m", "one"), env, timeout);
    PythonEnv.exec(List.of("git", "-C", repo.toString(), "pack-refs", "--all"), env, timeout);
    String head = PythonEnv.exec(List.of("git", "-C", repo.toString(), "rev-parse", "HEAD"), env, timeout).strip();
    assertEquals(Optional.of(head), SystemTags.gitCommit(Files.createDirectories(repo.resolve("sub"))));
  }

  private static boolean gitInstalled() {
    try {
      return new ProcessBuilder("git", "--version").start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Path gitDir(Path repo, String head) throws IOException {
    Files.createDirectories(repo.resolve(".git/refs/heads"));
    Files.writeString(repo.resolve(".git/HEAD"), head);
    return repo;
  }
}
