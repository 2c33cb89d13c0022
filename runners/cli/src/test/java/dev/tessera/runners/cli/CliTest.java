package dev.tessera.runners.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.testing.Golden;
import dev.tessera.runners.cli.InProcessTessera.Result;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end, in process: real experiments, real stores under a temporary TESSERA_HOME. */
class CliTest {
  @TempDir Path home;

  private Result tessera(String... args) {
    return InProcessTessera.run(home, args);
  }

  private static final String[] FAST_DEMO = {"--set", "numbers.millisPerItem=0", "--set", "squares.millisPerItem=0",
      "--set", "cubes.millisPerItem=0"};

  private Result runDemo(String... extra) {
    List<String> args = new ArrayList<>(List.of("run", "demo"));
    args.addAll(List.of(FAST_DEMO));
    args.addAll(List.of(extra));
    return tessera(args.toArray(String[]::new));
  }

  @Test
  void helpListsEveryCommand() {
    Result result = tessera("--help");
    assertEquals(0, result.exitCode());
    for (String command : List.of("run", "resume", "dag", "runs", "explain-cache", "preview", "list")) {
      assertTrue(result.out().contains("\n  " + command + " "), command + " in\n" + result.out());
    }
    for (String command : List.of("run", "resume", "dag", "runs", "explain-cache", "list")) {
      Result help = tessera(command, "--help");
      assertEquals(0, help.exitCode(), command);
      assertTrue(help.out().startsWith("Usage: tessera " + command), help.out());
    }
  }

  @Test
  void listPrintsEveryExperimentEvenThroughABufferedStream() {
    // As in main(): a stream that the command line must flush itself before the JVM exits.
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    PrintWriter out = new PrintWriter(new java.io.BufferedWriter(new java.io.OutputStreamWriter(bytes,
        java.nio.charset.StandardCharsets.UTF_8), 1 << 16), true);
    int code = Main.run(new String[] {"list"}, Map.of("TESSERA_HOME", home.toString()), out,
        new PrintWriter(new StringWriter()));
    assertEquals(0, code);
    String printed = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(printed.startsWith("EXPERIMENT"), printed);
    for (String name : List.of("demo", "demo-sweep", "mnist-lenet", "mnist-lenet-online", "bccd-detector-data")) {
      assertTrue(printed.contains("\n" + name + " "), name + " in\n" + printed);
    }
  }

  @Test
  void runThenSecondRunIsServedFromCache() {
    Result first = runDemo();
    assertEquals(0, first.exitCode(), first.err());
    assertTrue(first.out().contains("sum      succeeded"), first.out());
    assertTrue(first.out().contains("sum=25840850"), first.out());

    Result second = runDemo();
    assertEquals(0, second.exitCode(), second.err());
    for (String stage : List.of("numbers", "squares", "cubes", "sum")) {
      assertTrue(second.out().contains(stage + " cached (artifact from run"), second.out());
    }

    Result explain = tessera("explain-cache", "demo", FAST_DEMO[0], FAST_DEMO[1], FAST_DEMO[2], FAST_DEMO[3],
        FAST_DEMO[4], FAST_DEMO[5], "--set", "squares.exponent=4");
    assertEquals(0, explain.exitCode(), explain.err());
    assertTrue(explain.out().contains("HIT  numbers: cached"), explain.out());
    assertTrue(explain.out().contains("RUN  squares: will run: no artifact in the store"), explain.out());
    assertTrue(explain.out().contains("since last run: spec exponent: 2 -> 4"), explain.out());
    assertTrue(explain.out().contains("RUN  sum: will run, because upstream [squares] will run"), explain.out());

    Result runs = tessera("runs", "demo");
    assertEquals(0, runs.exitCode());
    assertEquals(3, runs.out().lines().count(), "header and two runs:\n" + runs.out());
    assertTrue(runs.out().contains("0/4"), "second run: nothing ran, four cached\n" + runs.out());
  }

  @Test
  void unknownOverridePathIsAUsageErrorListingValidPaths() {
    Result result = tessera("run", "demo", "--set", "nosuch.key=1");
    assertEquals(2, result.exitCode());
    Golden.assertMatches("cli-unknown-path.txt", result.err());
  }

  @Test
  void invalidSpecValueIsAUsageError() {
    Result result = tessera("run", "demo", "--set", "numbers.count=0");
    assertEquals(2, result.exitCode());
    assertTrue(result.err().contains("count must be in [1, 10000000], but was 0"), result.err());
  }

  @Test
  void unknownExperimentIsAUsageError() {
    Result result = tessera("run", "nosuch");
    assertEquals(2, result.exitCode());
    assertTrue(result.err().contains("Unknown experiment 'nosuch'. Known experiments: [bccd-detector-data, "),
        result.err());
    assertTrue(result.err().contains(", demo, "), result.err());
  }

  @Test
  void unknownRunIdIsAUsageError() {
    Result result = tessera("resume", "20990101-000000-000000");
    assertEquals(2, result.exitCode());
    assertTrue(result.err().contains("No run '20990101-000000-000000'"), result.err());
  }

  @Test
  void dagPrintsTreeAndMermaid() {
    Result text = tessera("dag", "demo");
    assertEquals(0, text.exitCode());
    Golden.assertMatches("dag-demo.txt", text.out());
    Result mermaid = tessera("dag", "demo", "--format", "mermaid");
    assertEquals(0, mermaid.exitCode());
    Golden.assertMatches("dag-demo.mmd", mermaid.out());
  }

  @Test
  void rejectsAnUnknownRunnerListingTheKnownOnes() {
    Result result = runDemo("--runner=FlinRunner");
    assertEquals(Main.USAGE, result.exitCode());
    assertTrue(result.err().contains("Invalid value for option '--runner'"), result.err());
    assertTrue(result.err().contains("DirectRunner, FlinkRunner, SparkRunner"), result.err());
  }

  @Test
  void rejectsAMasterOptionOfAnotherRunner() {
    Result result = runDemo("--sparkMaster=local[2]");
    assertEquals(Main.USAGE, result.exitCode());
    assertTrue(result.err().contains(
        "--sparkMaster applies to --runner=SparkRunner only, but --runner is DirectRunner."), result.err());
  }

  @Test
  void rejectsAMalformedSparkMaster() {
    Result result = runDemo("--runner=SparkRunner", "--sparkMaster=local[two]");
    assertEquals(Main.USAGE, result.exitCode());
    assertTrue(result.err().contains("--sparkMaster must be local[N]"), result.err());
    assertTrue(result.err().contains("but was 'local[two]'"), result.err());
  }

  @Test
  void namesTheModuleToBuildWhenARunnerIsNotOnTheClassPath() {
    // The CLI module's own class path never holds Flink: this is what a user sees without the launcher.
    Result result = runDemo("--runner=FlinkRunner", "--flinkMaster=[local]");
    assertEquals(Main.USAGE, result.exitCode());
    assertTrue(result.err().contains("--runner=FlinkRunner needs runners/flink on the class path"), result.err());
    assertTrue(result.err().contains("./mvnw -pl runners/flink -am package -DskipTests"), result.err());
  }

  @Test
  void anUnreachableClusterAddressFailsBeforeAnyStageNamingTheAddress() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
      BeamRunner.requireReachable(List.of("--runner=FlinkRunner", "--flinkMaster=127.0.0.1:" + closed));
    }
    UsageException flink = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
        () -> BeamRunner.requireReachable(List.of("--runner=FlinkRunner", "--flinkMaster=127.0.0.1:" + closed)));
    assertTrue(flink.getMessage().startsWith("--flinkMaster 127.0.0.1:" + closed + " is not reachable"),
        flink.getMessage());
    assertTrue(flink.getMessage().contains("--flinkMaster=[local]"), flink.getMessage());
    UsageException spark = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
        () -> BeamRunner.requireReachable(List.of("--sparkMaster=spark://127.0.0.1:" + closed)));
    assertTrue(spark.getMessage().startsWith("--sparkMaster 127.0.0.1:" + closed + " is not reachable"),
        spark.getMessage());
    BeamRunner.requireReachable(List.of("--flinkMaster=[local]", "--sparkMaster=local[2]"));
  }

  @Test
  void passesRunnerAndMasterToStagesAndRecordsThemForResume() {
    String cores = "--parallelism=" + Runtime.getRuntime().availableProcessors();
    assertEquals(List.of("--runner=FlinkRunner", "--flinkMaster=[local]", cores),
        BeamRunner.FlinkRunner.pipelineArgs(null, null));
    assertEquals(List.of("--runner=FlinkRunner", "--flinkMaster=flink-jm:8081"),
        BeamRunner.FlinkRunner.pipelineArgs("flink-jm:8081", null));
    assertEquals(List.of("--runner=SparkRunner", "--sparkMaster=local[2]"),
        BeamRunner.SparkRunner.pipelineArgs(null, "local[2]"));
    assertEquals(List.of("--runner=DirectRunner"), BeamRunner.DirectRunner.pipelineArgs(null, null));
    assertEquals(List.of("--runner=FlinkRunner", "--flinkMaster=flink-jm:8081", "--parallelism=6"),
        BeamRunner.FlinkRunner.pipelineArgs("flink-jm:8081", null, 6));
    assertEquals(List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=1"),
        BeamRunner.FlinkRunner.pipelineArgs(null, null, 1));
    UsageException zero = assertThrows(UsageException.class,
        () -> BeamRunner.FlinkRunner.pipelineArgs(null, null, 0));
    assertTrue(zero.getMessage().startsWith("--flinkParallelism must be >= 1"), zero.getMessage());
    assertThrows(UsageException.class, () -> BeamRunner.SparkRunner.pipelineArgs(null, null, 2));

    assertEquals(BeamRunner.SparkRunner,
        BeamRunner.named(List.of("--runner=SparkRunner", "--sparkMaster=local[2]")).orElseThrow());

    Result run = runDemo("--runner", "DirectRunner");
    assertEquals(0, run.exitCode(), run.err());
    var recorded = new dev.tessera.pipelines.exec.RunStore(home).list(null).get(0).pipelineArgs;
    assertEquals(List.of("--runner=DirectRunner"), recorded, "resume reuses these");
  }
}
