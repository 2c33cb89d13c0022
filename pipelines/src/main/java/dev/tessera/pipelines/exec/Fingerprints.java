package dev.tessera.pipelines.exec;

import dev.tessera.pipelines.artifact.Digests;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.exec.internal.CodeWalker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Implementation fingerprints, derived from the code itself: a stage's fingerprint covers every class it can reach
 * through the bytecode (constant-pool references, transitively) within Tessera and the user's code, and every
 * library jar those classes use, by file name and SHA-256. No hand-kept class list: editing a helper two calls deep
 * changes the fingerprint; editing a class the stage never reaches does not.
 */
public final class Fingerprints {
  private Fingerprints() {}

  /**
   * The fingerprint of a stage: its class, its spec's class and {@link Stage#implementationClasses()} as roots.
   */
  public static Fingerprint ofStage(Stage<?> stage) {
    List<Class<?>> roots = new ArrayList<>();
    roots.add(stage.getClass());
    roots.add(stage.spec().getClass());
    roots.addAll(stage.implementationClasses());
    return ofClasses(roots);
  }

  /** The fingerprint of the code reachable from these classes. */
  public static Fingerprint ofClasses(List<Class<?>> roots) {
    ClassLoader loader = roots.isEmpty() || roots.get(0).getClassLoader() == null
        ? ClassLoader.getSystemClassLoader() : roots.get(0).getClassLoader();
    SortedMap<String, String> parts = new CodeWalker(loader).walk(roots.stream().map(Class::getName).toList());
    StringBuilder text = new StringBuilder();
    parts.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    SortedMap<String, String> shortParts = new TreeMap<>();
    parts.forEach((k, v) -> shortParts.put(k, v.substring(0, 16)));
    return new Fingerprint(Digests.sha256Hex(text.toString()), shortParts);
  }

  /**
   * A code fingerprint.
   *
   * @param digest SHA-256 (hex) over every part
   * @param parts {@code class:<name>} or {@code jar:<file>} → the first 16 hex characters of its SHA-256, so that
   *     {@code explain-cache} can name what changed
   */
  public record Fingerprint(String digest, Map<String, String> parts) {
    public Fingerprint {
      parts = new TreeMap<>(parts);
    }
  }
}
