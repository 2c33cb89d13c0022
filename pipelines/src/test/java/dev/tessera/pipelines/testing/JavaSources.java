package dev.tessera.pipelines.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles Java sources written by a test (user-style code) into a folder, and loads them. */
public final class JavaSources {
  private JavaSources() {}

  /**
   * Writes {@code sources} (path such as {@code demo/Helper.java} → text) under {@code dir/src}, compiles them
   * against the test class path into {@code dir/classes}, and returns that folder.
   */
  public static Path compile(Path dir, Map<String, String> sources) {
    try {
      Path src = dir.resolve("src");
      Path classes = Files.createDirectories(dir.resolve("classes"));
      List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath",
          System.getProperty("java.class.path"), "-proc:none"));
      for (Map.Entry<String, String> source : sources.entrySet()) {
        Path file = src.resolve(source.getKey());
        Files.createDirectories(file.getParent());
        Files.writeString(file, source.getValue());
        args.add(file.toString());
      }
      JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
      StringWriter errors = new StringWriter();
      int code = compiler.run(null, null, null, args.toArray(String[]::new));
      assertTrue(code == 0, "test sources do not compile: " + errors);
      return classes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A class loader over a compiled folder, child of the test's own. */
  public static URLClassLoader loader(Path classes) {
    try {
      return new URLClassLoader(new URL[] {classes.toUri().toURL()}, JavaSources.class.getClassLoader());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
