package dev.tessera.pipelines.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tessera.pipelines.artifact.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Python virtual environment with the reference packages the tests use (MLflow, pyarrow), installed by the test
 * build itself from {@code python/requirements.txt} with pip.
 *
 * <p>The environment is cached under {@code ~/.cache/tessera/python/<digest of requirements>} (or
 * {@code $TESSERA_PYTHON_CACHE}) so only the first build on a machine pays for the install; a file lock makes
 * concurrent test JVMs wait for one install instead of racing. If {@code python3} itself is missing, the calling
 * test is skipped with that reason; a failing pip install fails the test with pip's output.
 */
public final class PythonEnv {
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(20);
  private static final Map<String, PythonEnv> SHARED = new java.util.HashMap<>();

  private final Path home;

  private PythonEnv(Path home) {
    this.home = home;
  }

  /** The shared environment, installed on first use. */
  public static PythonEnv get() {
    return of("python/requirements.txt");
  }

  /**
   * The environment of another requirements file on the test class path, such as {@code python/s3-requirements.txt}
   * (tools only some tests need), installed on first use and cached the same way.
   */
  public static synchronized PythonEnv of(String requirementsResource) {
    return SHARED.computeIfAbsent(requirementsResource, PythonEnv::install);
  }

  /** The environment's {@code python} executable. */
  public Path python() {
    return home.resolve("bin/python");
  }

  /** An executable installed into the environment, such as {@code mlflow}. */
  public Path bin(String name) {
    return home.resolve("bin").resolve(name);
  }

  /** The environment's root directory. */
  public Path home() {
    return home;
  }

  /**
   * Runs {@code python script args...} and returns its standard output; fails with the output of both streams
   * when the exit code is not 0.
   */
  public String run(Path script, List<String> args, Map<String, String> env) {
    List<String> command = new ArrayList<>();
    command.add(python().toString());
    command.add(script.toString());
    command.addAll(args);
    return exec(command, env, Duration.ofMinutes(5));
  }

  /** Runs a command, returning stdout; throws with stdout and stderr on a non-zero exit or a timeout. */
  public static String exec(List<String> command, Map<String, String> env, Duration timeout) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().putAll(env);
      Path out = Files.createTempFile("tessera-py", ".out");
      Path err = Files.createTempFile("tessera-py", ".err");
      builder.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process process = builder.start();
      boolean finished = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
      if (!finished) {
        process.destroyForcibly();
      }
      String stdout = Files.readString(out);
      String stderr = Files.readString(err);
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      if (!finished || process.exitValue() != 0) {
        throw new AssertionError(
            "command " + command + (finished ? " exited " + process.exitValue() : " timed out after " + timeout)
                + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr);
      }
      return stdout;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    }
  }

  private static PythonEnv install(String requirementsResource) {
    String requirements = resource(requirementsResource);
    String base = System.getenv().getOrDefault(
        "TESSERA_PYTHON_CACHE", System.getProperty("user.home") + "/.cache/tessera/python");
    Path home = Path.of(base, Digests.sha256Hex(requirements).substring(0, 16));
    if (!Files.exists(home.resolve(".tessera-ready"))) {
      assumeTrue(onPath("python3"), "python3 is not on the PATH: the Python reference checks need it");
    }
    return new PythonEnv(CachedInstall.once(home, requirements, folder -> {
      exec(List.of("python3", "-m", "venv", folder.toString()), Map.of(), Duration.ofMinutes(2));
      Path reqFile = folder.resolve("requirements.txt");
      Files.writeString(reqFile, requirements);
      exec(List.of(folder.resolve("bin/pip").toString(), "install", "--quiet", "-r", reqFile.toString()),
          Map.of(), INSTALL_TIMEOUT);
    }));
  }

  private static String resource(String name) {
    try (InputStream in = PythonEnv.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the test class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True when an executable of that name is on the PATH. */
  public static boolean onPath(String executable) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, executable))) {
        return true;
      }
    }
    return false;
  }
}
