package dev.tessera.pipelines.exec.internal;

import dev.tessera.pipelines.artifact.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Walks the classes reachable from some roots through their constant pools and digests what it finds.
 *
 * <p>Which classes are followed: Tessera's own ({@code dev.tessera.*}), classes from a directory (a build's
 * {@code target/classes}, a compiled experiment file), classes from a {@code tessera-*.jar}, and classes only a
 * child class loader sees (a user's jar given with {@code --classpath}). Each of those counts with the SHA-256 of its
 * bytecode. Any other class comes from a library jar: the jar counts once, by file name and SHA-256, and is not
 * walked further. JDK classes ({@code java.*}, {@code jdk.*}, ...) count through the Java version only, which is an
 * environment fact, not part of this walk.
 */
public final class CodeWalker {
  private static final Map<String, String> JAR_DIGESTS = new ConcurrentHashMap<>();
  private static final Set<String> JDK_PREFIXES = Set.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

  private final ClassLoader loader;
  private final ClassLoader system = ClassLoader.getSystemClassLoader();

  /** @param loader the class loader that sees the roots (and, through its parents, everything they use) */
  public CodeWalker(ClassLoader loader) {
    this.loader = loader;
  }

  /**
   * Every followed class ({@code class:<name>} → SHA-256 of its bytecode) and every library jar reached
   * ({@code jar:<file name>} → SHA-256 of the jar), sorted.
   */
  public SortedMap<String, String> walk(Iterable<String> roots) {
    SortedMap<String, String> parts = new TreeMap<>();
    Deque<String> queue = new ArrayDeque<>();
    Set<String> seen = new java.util.HashSet<>();
    roots.forEach(queue::add);
    while (!queue.isEmpty()) {
      String name = queue.poll();
      if (!seen.add(name) || isJdk(name)) {
        continue;
      }
      String resource = name.replace('.', '/') + ".class";
      URL url = loader.getResource(resource);
      if (url == null) {
        continue; // a name in a string constant, or an optional class that is absent: nothing to run
      }
      Path jar = jarOf(url);
      if (jar != null && !followed(name, jar, resource)) {
        parts.put("jar:" + jar.getFileName(), jarDigest(jar));
        continue;
      }
      byte[] bytes = read(url, name);
      parts.put("class:" + name, Digests.sha256Hex(bytes));
      try {
        queue.addAll(ClassReferences.of(bytes));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the class file of " + name + " at " + url, e);
      }
    }
    return parts;
  }

  private boolean followed(String name, Path jar, String resource) {
    return name.startsWith("dev.tessera.")
        || jar.getFileName().toString().startsWith("tessera-")
        || system.getResource(resource) == null;
  }

  private static boolean isJdk(String name) {
    for (String prefix : JDK_PREFIXES) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** The jar a class resource URL points into, or null for a directory or another scheme. */
  private static Path jarOf(URL url) {
    if (!"jar".equals(url.getProtocol())) {
      return null;
    }
    String spec = url.getPath();
    int bang = spec.indexOf("!/");
    try {
      return Path.of(new java.net.URI(bang < 0 ? spec : spec.substring(0, bang)));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] read(URL url, String name) {
    try (InputStream in = url.openStream()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bytecode of " + name + " from " + url, e);
    }
  }

  /** SHA-256 of a jar file, remembered per path, size and modification time for the life of the JVM. */
  private static String jarDigest(Path jar) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(jar, BasicFileAttributes.class);
      String key = jar.toAbsolutePath() + "|" + attributes.size() + "|" + attributes.lastModifiedTime().toMillis();
      return JAR_DIGESTS.computeIfAbsent(key, k -> {
        try (InputStream in = Files.newInputStream(jar)) {
          var digest = Digests.sha256();
          byte[] buffer = new byte[1 << 16];
          for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
          }
          return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read the library jar " + jar, e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the library jar " + jar, e);
    }
  }
}
