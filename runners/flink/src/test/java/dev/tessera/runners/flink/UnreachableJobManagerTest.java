package dev.tessera.runners.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.exec.RunStore;
import dev.tessera.runners.cli.Main;
import dev.tessera.stages.testing.LocalProcesses;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tessera run --runner=FlinkRunner} against a JobManager address nobody listens on, with Flink on the class
 * path as {@code ./tessera} gives it: the command stops with a usage error naming the address and the fix before
 * any stage runs (no cluster needed; the CLI module's own tests cannot get this far, as Flink is not on their class
 * path).
 */
class UnreachableJobManagerTest {
  @TempDir Path home;

  @Test
  void anUnreachableJobManagerStopsTheRunBeforeAnyStageNamingTheAddressAndTheFix() {
    int closed = LocalProcesses.freePort(); // free: nothing listens there
    StringWriter err = new StringWriter();
    int code = Main.run(new String[] {"run", "demo", "--plain", "--runner=FlinkRunner",
        "--flinkMaster=127.0.0.1:" + closed}, Map.of("TESSERA_HOME", home.toString()),
        new PrintWriter(new StringWriter()), new PrintWriter(err));

    assertEquals(Main.USAGE, code, err.toString());
    assertTrue(err.toString().contains("--flinkMaster 127.0.0.1:" + closed + " is not reachable"), err.toString());
    assertTrue(err.toString().contains("Start the Flink JobManager (its REST port) there"), err.toString());
    assertTrue(err.toString().contains("--flinkMaster=[local]"), err.toString());
    assertEquals(List.of(), new RunStore(home).list(null), "no run, so no stage, was started");
  }
}
