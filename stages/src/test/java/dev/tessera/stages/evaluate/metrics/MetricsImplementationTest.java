package dev.tessera.stages.evaluate.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The fingerprint list names every class compiled from this package, so no helper escapes the cache key. */
class MetricsImplementationTest {
  @Test
  void listsEveryClassFileOfThePackage() throws Exception {
    Path dir = Path.of(RocAuc.class.getResource("RocAuc.class").toURI()).getParent();
    Set<String> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.map(p -> p.getFileName().toString())
          .filter(name -> name.endsWith(".class") && !name.equals("package-info.class"))
          .map(name -> name.substring(0, name.length() - ".class".length()))
          .collect(Collectors.toCollection(TreeSet::new));
    }
    Set<String> listed = MetricsImplementation.CLASSES.stream().map(Class::getSimpleName)
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(files, listed, "class files of the package (a nested or synthetic class shows as Outer$Inner: list it too)");
  }
}
