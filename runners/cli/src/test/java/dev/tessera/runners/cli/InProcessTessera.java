package dev.tessera.runners.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the {@code tessera} command line inside the test's JVM, exactly as {@code main} does but with the
 * environment given here and both streams captured. The CLI tests share it instead of each writing its own.
 *
 * <pre>{@code
 * Result result = InProcessTessera.run(home, "run", "demo", "--plain");
 * assertEquals(0, result.exitCode(), result.err());
 * }</pre>
 */
public final class InProcessTessera {
  private InProcessTessera() {}

  /** What one command did: its exit code and everything it printed to standard output and standard error. */
  public record Result(int exitCode, String out, String err) {}

  /** Runs {@code args} with {@code TESSERA_HOME} set to {@code home} and nothing else in the environment. */
  public static Result run(Path home, String... args) {
    return run(Map.of("TESSERA_HOME", home.toString()), args);
  }

  /** Runs {@code args} with {@code TESSERA_HOME} set to {@code home} plus the given variables. */
  public static Result run(Path home, Map<String, String> environment, String... args) {
    Map<String, String> all = new TreeMap<>(environment);
    all.put("TESSERA_HOME", home.toString());
    return run(all, args);
  }

  /** Runs {@code args} with exactly {@code environment} as the environment the CLI sees. */
  public static Result run(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, environment, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }
}
