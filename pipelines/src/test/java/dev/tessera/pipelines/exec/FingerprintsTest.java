package dev.tessera.pipelines.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.testing.Engine;
import dev.tessera.pipelines.testing.JavaSources;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code fingerprint follows the bytecode: user-style classes are compiled in the test, then one helper two calls
 * deep, or an unrelated class, is changed.
 */
class FingerprintsTest {
  @TempDir Path dir;

  /** A stage (user code) whose result comes from Helper1, which calls Helper2; Unrelated is never reached. */
  private static Map<String, String> sources(int helper2Value, int unrelatedValue) {
    Map<String, String> sources = new TreeMap<>();
    sources.put("demo/CountSpec.java", """
        package demo;
        public record CountSpec(int n) implements dev.tessera.pipelines.dag.StageSpec {}
        """);
    sources.put("demo/CountStage.java", """
        package demo;
        import dev.tessera.pipelines.dag.*;
        import java.nio.file.Files;
        import java.util.List;
        public record CountStage(CountSpec spec) implements Stage<CountSpec> {
          public Stage<CountSpec> withSpec(CountSpec s) { return new CountStage(s); }
          public List<ArtifactKind> inputs() { return List.of(); }
          public ArtifactKind output() { return ArtifactKind.DATASET; }
          public StageResult run(StageContext context) throws Exception {
            Files.writeString(context.outputDirectory().resolve("out.txt"), Helper1.value(spec.n()));
            return StageResult.of(1);
          }
        }
        """);
    sources.put("demo/Helper1.java", """
        package demo;
        final class Helper1 {
          static String value(int n) {
            return new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("v", n * Helper2.factor())
                .toString();
          }
        }
        """);
    sources.put("demo/Helper2.java", "package demo;\nfinal class Helper2 {\n  static int factor() { return "
        + helper2Value + "; }\n}\n");
    sources.put("demo/Unrelated.java", "package demo;\npublic final class Unrelated {\n  static int f() { return "
        + unrelatedValue + "; }\n}\n");
    return sources;
  }

  private Fingerprints.Fingerprint fingerprint(String name, int helper2, int unrelated) throws Exception {
    Path classes = JavaSources.compile(dir.resolve(name), sources(helper2, unrelated));
    return Fingerprints.ofClasses(List.of(JavaSources.loader(classes).loadClass("demo.CountStage")));
  }

  @Test
  void followsHelpersTwoCallsDeepButNotUnrelatedClasses() throws Exception {
    Fingerprints.Fingerprint base = fingerprint("base", 2, 0);
    Fingerprints.Fingerprint helperChanged = fingerprint("helper", 3, 0);
    Fingerprints.Fingerprint unrelatedChanged = fingerprint("unrelated", 2, 1);

    assertNotEquals(base.digest(), helperChanged.digest());
    assertEquals(base.digest(), unrelatedChanged.digest());
    assertEquals(List.of("bytecode of demo.Helper2 changed"),
        CacheExplainer.codeChanges(base.parts(), helperChanged.parts()));
    assertTrue(base.parts().containsKey("class:demo.Helper2"), base.parts().keySet().toString());
    assertTrue(base.parts().keySet().stream().noneMatch(k -> k.contains("Unrelated")));
    // Tessera's own classes are followed; libraries count as whole jars, not walked.
    assertTrue(base.parts().containsKey("class:dev.tessera.pipelines.dag.Stage"));
    assertTrue(base.parts().keySet().stream().anyMatch(k -> k.startsWith("jar:jackson-databind-")),
        base.parts().keySet().toString());
    assertTrue(base.parts().keySet().stream().noneMatch(k -> k.startsWith("class:com.fasterxml")));
  }

  @Test
  void aStageRerunsWhenAHelperChangesAndIsCachedWhenAnUnrelatedClassChanges() throws Exception {
    Engine engine = new Engine(dir.resolve("home"));
    assertEquals(StageStatus.SUCCEEDED, runCount(engine, "v1", 2, 0));
    assertEquals(StageStatus.CACHED, runCount(engine, "v1-again", 2, 0));
    assertEquals(StageStatus.CACHED, runCount(engine, "v1-unrelated", 2, 5));
    assertEquals(StageStatus.SUCCEEDED, runCount(engine, "v2-helper", 7, 5));

    List<CacheExplanation> explained = new CacheExplainer(engine.store).explain(
        experiment("v3-helper", 8, 5), engine.runs.list("count").get(0));
    assertTrue(explained.get(0).changes().stream().anyMatch(c -> c.contains("bytecode of demo.Helper2 changed")),
        explained.get(0).changes().toString());
  }

  private StageStatus runCount(Engine engine, String name, int helper2, int unrelated) throws Exception {
    RunResult result = engine.run(experiment(name, helper2, unrelated));
    assertEquals(RunOutcome.SUCCEEDED, result.status());
    return result.run().stages.get("count").status;
  }

  private Experiment experiment(String name, int helper2, int unrelated) throws Exception {
    Path classes = JavaSources.compile(dir.resolve(name), sources(helper2, unrelated));
    ClassLoader loader = JavaSources.loader(classes);
    Object spec = loader.loadClass("demo.CountSpec").getConstructor(int.class).newInstance(3);
    Stage<?> stage = (Stage<?>) loader.loadClass("demo.CountStage").getConstructors()[0].newInstance(spec);
    return Experiment.named("count").stage("count", stage).build();
  }
}
