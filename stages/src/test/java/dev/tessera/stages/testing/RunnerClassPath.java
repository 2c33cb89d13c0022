package dev.tessera.stages.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
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

  /**
   * Each jar's version by library: {@code groupId:artifactId} from the jar's Maven metadata where it has it (two
   * libraries may share an artifact id, such as AWS's and Android's {@code annotations}), else the file name's.
   */
  private static Map<String, String> versions(Path lib) throws IOException {
    Map<String, String> versions = new TreeMap<>();
    try (Stream<Path> jars = Files.list(lib)) {
      for (Path jar : jars.toList()) {
        Matcher m = JAR.matcher(jar.getFileName().toString());
        if (m.matches()) {
          versions.put(groupOf(jar, m.group(1)) + m.group(1), m.group(2));
        }
      }
    }
    return versions;
  }

  /** {@code groupId:} of the artifact from {@code META-INF/maven/<groupId>/<artifact>/pom.properties}, or "". */
  private static String groupOf(Path jar, String artifact) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.stream().map(JarEntry::getName)
          .filter(n -> n.startsWith("META-INF/maven/") && n.endsWith("/" + artifact + "/pom.properties"))
          .map(n -> n.substring("META-INF/maven/".length(), n.length() - artifact.length() - 16) + ":")
          .findFirst().orElse("");
    }
  }
}
