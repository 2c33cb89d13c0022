package dev.tessera.runners.cli.schedule;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Claims in one JVM (claims across processes, and after SIGKILL, are in SchedulerProcessTest). */
class FiringClaimTest {
  @TempDir Path dir;

  @Test
  void heldClaimIsNotHandedOutAgainUntilClosed() throws Exception {
    Path file = dir.resolve("20260329T010000Z.claim");
    Optional<FiringClaim> first = FiringClaim.tryAcquire(file);
    assertTrue(first.isPresent());
    assertTrue(FiringClaim.tryAcquire(file).isEmpty());
    assertTrue(FiringClaim.tryAcquire(dir.resolve(".").resolve("20260329T010000Z.claim")).isEmpty(),
        "the same file by another path");
    assertTrue(Files.readString(file).startsWith("pid " + ProcessHandle.current().pid()));
    first.get().close();
    first.get().close();
    Optional<FiringClaim> again = FiringClaim.tryAcquire(file);
    assertTrue(again.isPresent());
    first.get().close(); // a stale second close must not release the new holder's claim
    assertTrue(FiringClaim.tryAcquire(file).isEmpty());
    again.get().close();
  }

  @Test
  void askingAgainInThisJvmKeepsOtherProcessesOut() throws Exception {
    Path python = Path.of("/usr/bin/python3");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(python),
        "needs /usr/bin/python3 to take a POSIX lock from another process");
    Path file = dir.resolve("20260329T010000Z.claim");
    try (FiringClaim held = FiringClaim.tryAcquire(file).orElseThrow()) {
      assertTrue(FiringClaim.tryAcquire(file).isEmpty());
      // Another process asks for the same POSIX (fcntl) lock that FileChannel.tryLock takes.
      Process other = new ProcessBuilder(python.toString(), "-c", "import fcntl, sys\n"
          + "f = open(sys.argv[1], 'r+')\n"
          + "try:\n    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)\nexcept OSError:\n    sys.exit(3)\n",
          file.toString()).redirectErrorStream(true).start();
      assertTrue(other.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
      org.junit.jupiter.api.Assertions.assertEquals(3, other.exitValue(),
          "the other process got the lock: " + new String(other.getInputStream().readAllBytes()));
    }
  }
}
