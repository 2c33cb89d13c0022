package dev.tessera.stages.testing;

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

/**
 * ./tessera puts the CLI's jars and a runner module's target/lib on one class path: no library may be there in two
 * versions. Shared by the Flink and Spark runner modules' checks.
 */
public final class RunnerClassPath {
  private static final Pattern JAR = Pattern.compile("(.+?)-(\\d[^/]*)\\.jar");

  private RunnerClassPath() {}

  /** Libraries present in both directories with different versions, as "artifact: CLI v1, runner v2". */
  public static List<String> clashes(Path cliLib, Path runnerLib, String runner) throws IOException {
    Map<String, String> cli = versions(cliLib);
    List<String> clashes = new ArrayList<>();
    versions(runnerLib).forEach((artifact, version) -> {
      String other = cli.get(artifact);
      if (other != null && !other.equals(version)) {
        clashes.add(artifact + ": CLI " + other + ", " + runner + " " + version);
      }
    });
    return clashes;
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
