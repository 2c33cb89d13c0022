package dev.tessera.runners.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.stages.testing.RunnerClassPath;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ./tessera puts the CLI's jars and this module's target/lib on one class path for --runner=SparkRunner: no
 * library may be there in two versions (pin the CLI's version in the parent pom when this fails).
 */
class SparkClassPathIT {
  @Test
  void runnerJarsAddNoSecondVersionOfACliJar() throws Exception {
    assertEquals(List.of(), RunnerClassPath.clashes(Path.of("../cli/target/lib"), Path.of("target/lib"), "spark"));
  }
}
