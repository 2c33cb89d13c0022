package dev.tessera.pipelines.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden-file assertions: compares text with {@code src/test/resources/golden/<name>}. Run the build with
 * {@code -Dgolden.update=true} to rewrite the files from the current output (then review the diff).
 */
public final class Golden {
  private Golden() {}

  public static void assertMatches(String name, String actual) {
    String resource = "golden/" + name;
    if (Boolean.getBoolean("golden.update")) {
      Path file = Path.of("src/test/resources", resource);
      try {
        Files.createDirectories(file.getParent());
        Files.writeString(file, actual);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    try (InputStream in = Golden.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new AssertionError("golden file " + resource + " is missing; run with -Dgolden.update=true");
      }
      assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), actual, "golden " + resource);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
