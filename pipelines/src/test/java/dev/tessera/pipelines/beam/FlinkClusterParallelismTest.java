package dev.tessera.pipelines.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The arguments {@link FlinkClusterParallelism} leaves alone, and how it reads a JobManager's overview. That it
 * sets a real cluster's free slots is checked against a Flink session cluster in runners/flink (FlinkClusterIT).
 */
class FlinkClusterParallelismTest {
  @Test
  void aRemoteFlinkMasterIsTheOnlyOneAsked() {
    assertEquals(Optional.of("flink-jm:8081"),
        FlinkClusterParallelism.remoteMaster(List.of("--runner=FlinkRunner", "--flinkMaster=flink-jm:8081")));
    assertEquals(Optional.empty(),
        FlinkClusterParallelism.remoteMaster(List.of("--runner=FlinkRunner", "--flinkMaster=[local]")));
    assertEquals(Optional.empty(),
        FlinkClusterParallelism.remoteMaster(List.of("--runner=FlinkRunner", "--flinkMaster=[auto]")));
    assertEquals(Optional.of("jm:8081"),
        FlinkClusterParallelism.remoteMaster(List.of("--runner=flink", "--flinkMaster=jm:8081")));
    assertEquals(Optional.empty(), FlinkClusterParallelism.remoteMaster(List.of("--runner=FlinkRunner")));
    assertEquals(Optional.empty(),
        FlinkClusterParallelism.remoteMaster(List.of("--runner=SparkRunner", "--sparkMaster=spark://m:7077")));
  }

  @Test
  void aParallelismInTheArgumentsIsKeptWithoutAskingTheCluster() {
    // Port 1 on loopback answers nothing: were the cluster asked, a warning would be logged, but nothing added.
    List<String> args = List.of("--runner=FlinkRunner", "--flinkMaster=127.0.0.1:1", "--parallelism=1");
    assertSame(args, FlinkClusterParallelism.apply(args));
  }

  @Test
  void anEmbeddedClusterKeepsItsArguments() {
    List<String> args = List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
    assertSame(args, FlinkClusterParallelism.apply(args));
    List<String> auto = List.of("--runner=FlinkRunner", "--flinkMaster=[auto]");
    assertSame(auto, FlinkClusterParallelism.apply(auto));
  }

  @Test
  void aJobManagerThatDoesNotAnswerLeavesTheArgumentsAsTheyAre() {
    List<String> args = List.of("--runner=FlinkRunner", "--flinkMaster=127.0.0.1:1");
    assertEquals(args, FlinkClusterParallelism.apply(args));
  }

  @Test
  void readsFreeAndTotalSlotsFromTheOverview() throws IOException {
    // The fields of Flink 1.19's GET /overview (ClusterOverviewWithVersion).
    String overview = "{\"taskmanagers\":2,\"slots-total\":4,\"slots-available\":3,\"jobs-running\":1,"
        + "\"flink-version\":\"1.19.3\"}";
    assertEquals(new FlinkClusterParallelism.Slots(3, 4), FlinkClusterParallelism.Slots.parse(overview));
    assertThrows(IOException.class, () -> FlinkClusterParallelism.Slots.parse("{\"taskmanagers\":2}"));
  }
}
