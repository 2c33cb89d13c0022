package dev.tessera.runners.cli;

import com.google.inject.AbstractModule;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Chooses the tracking module: {@code --tracking-uri}, else {@code MLFLOW_TRACKING_URI}; an {@code http(s)://}
 * URI selects {@link MlflowServerTrackingModule}, anything else (a path, {@code file:///path}, or nothing:
 * {@code ./mlruns}) selects {@link LocalTrackingModule}.
 */
final class Tracking {
  static final String OPTION = "--tracking-uri";
  static final String VARIABLE = "MLFLOW_TRACKING_URI";

  private Tracking() {}

  static AbstractModule moduleFor(Map<String, String> environment, List<String> args) {
    String uri = optionValue(args).orElse(environment.getOrDefault(VARIABLE, "")).strip();
    if (uri.startsWith("databricks")) {
      throw new UsageException(VARIABLE + "=" + uri + ": Databricks tracking is not supported; use an "
          + "http(s):// MLflow server, or unset it to log to ./mlruns.");
    }
    if (uri.startsWith("http://") || uri.startsWith("https://")) {
      try {
        return new MlflowServerTrackingModule(URI.create(uri), environment);
      } catch (IllegalArgumentException e) {
        throw new UsageException("tracking URI: " + e.getMessage());
      }
    }
    Path root = uri.isEmpty() ? Path.of("mlruns")
        : uri.startsWith("file:") ? Path.of(URI.create(uri)) : Path.of(uri);
    return new LocalTrackingModule(root.toAbsolutePath().normalize());
  }

  /** The value of {@code --tracking-uri} among the arguments, read before picocli so the injector can use it. */
  static java.util.Optional<String> optionValue(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--")) {
        break;
      }
      if (arg.equals(OPTION) && i + 1 < args.size()) {
        return java.util.Optional.of(args.get(i + 1));
      }
      if (arg.startsWith(OPTION + "=")) {
        return java.util.Optional.of(arg.substring(OPTION.length() + 1));
      }
    }
    return java.util.Optional.empty();
  }
}
