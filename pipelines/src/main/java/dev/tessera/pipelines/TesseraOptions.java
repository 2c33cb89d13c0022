package dev.tessera.pipelines;

import dev.tessera.pipelines.exec.ExecutorOptions;
import dev.tessera.pipelines.exec.TesseraHome;
import java.nio.file.Path;
import java.util.List;

/**
 * Where and how {@link Tessera#run} runs.
 *
 * @param home the Tessera home: artifacts (the cache) and run states
 * @param mlruns the MLflow file store to log to, or null to log nothing
 * @param overrides {@code --set}-style overrides such as {@code train.epochs=1} or {@code seed=7}
 * @param executor parallelism, cache, retries, Beam pipeline arguments
 * @param artifactRoot a remote copy of the artifact store on a Beam file system, such as {@code s3://bucket/prefix}
 *     (configured by the executor's pipeline arguments, for example {@code --endpoint}), or null for none
 */
public record TesseraOptions(Path home, Path mlruns, List<String> overrides, ExecutorOptions executor,
    String artifactRoot) {
  public TesseraOptions {
    if (home == null) {
      throw new IllegalArgumentException("home must be a folder for artifacts and runs, but was null");
    }
    overrides = List.copyOf(overrides);
    if (executor == null) {
      executor = ExecutorOptions.defaults();
    }
  }

  /** {@code $TESSERA_HOME} (or {@code ./.tessera}) and {@code ./mlruns}, as the CLI uses. */
  public static TesseraOptions defaults() {
    return new TesseraOptions(TesseraHome.resolve(System.getenv()), Path.of("mlruns").toAbsolutePath(), List.of(),
        ExecutorOptions.defaults(), null);
  }

  /** Everything under one folder: {@code dir/home} and {@code dir/mlruns} (a test's temporary folder). */
  public static TesseraOptions in(Path dir) {
    return new TesseraOptions(dir.resolve("home"), dir.resolve("mlruns"), List.of(), ExecutorOptions.defaults(),
        null);
  }

  public TesseraOptions withHome(Path value) {
    return new TesseraOptions(value, mlruns, overrides, executor, artifactRoot);
  }

  /** A copy logging to this MLflow file store, or to none when null. */
  public TesseraOptions withMlruns(Path value) {
    return new TesseraOptions(home, value, overrides, executor, artifactRoot);
  }

  /** A copy with these overrides, such as {@code "train.epochs=1"}. */
  public TesseraOptions withOverrides(String... values) {
    return new TesseraOptions(home, mlruns, List.of(values), executor, artifactRoot);
  }

  public TesseraOptions withExecutor(ExecutorOptions value) {
    return new TesseraOptions(home, mlruns, overrides, value, artifactRoot);
  }

  /** A copy that mirrors every artifact to this remote root, such as {@code s3://bucket/prefix}; none when null. */
  public TesseraOptions withArtifactRoot(String value) {
    return new TesseraOptions(home, mlruns, overrides, executor, value);
  }
}
