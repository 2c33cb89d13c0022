package dev.tessera.runners.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * ./tessera puts the CLI's jars and this module's target/lib on one class path for --runner=SparkRunner: no
 * library may be there in two versions (pin the CLI's version in the parent pom when this fails).
 */
class SparkClassPathIT {
  private static final Pattern JAR = Pattern.compile("(.+?)-(\\d[^/]*)\\.jar");

  @Test
  void runnerJarsAddNoSecondVersionOfACliJar() throws IOException {
    Map<String, String> cli = versions(Path.of("../cli/target/lib"));
    Map<String, String> runner = versions(Path.of("target/lib"));
    List<String> clashes = new ArrayList<>();
    runner.forEach((artifact, version) -> {
      String other = cli.get(artifact);
      if (other != null && !other.equals(version)) {
        clashes.add(artifact + ": CLI " + other + ", spark " + version);
      }
    });
    assertEquals(List.of(), clashes);
  }

  private static Map<String, String> versions(Path lib) throws IOException {
    Map<String, String> versions = new TreeMap<>();
    try (Stream<Path> jars = Files.list(lib)) {
      for (Path jar : jars.toList()) {
        Matcher m = JAR.matcher(jar.getFileName().toString());
        if (m.matches()) {
          versions.put(m.group(1), m.group(2));
        }
      }
    }
    return versions;
  }
}
