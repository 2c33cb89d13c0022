package dev.tessera.runners.cli;

import com.google.inject.AbstractModule;
import dev.tessera.pipelines.tracking.Tracker;
import dev.tessera.pipelines.tracking.mlflow.FileStoreTracker;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Chooses the tracking module: the embedded MLflow file store under {@code ./mlruns} by default, or the file store
 * that {@code MLFLOW_TRACKING_URI} names ({@code file:///path} or a plain path).
 */
final class Tracking {
  private Tracking() {}

  static AbstractModule moduleFor(Map<String, String> environment) {
    String uri = environment.getOrDefault("MLFLOW_TRACKING_URI", "").strip();
    if (uri.startsWith("http://") || uri.startsWith("https://") || uri.startsWith("databricks")) {
      throw new UsageException("MLFLOW_TRACKING_URI=" + uri + ": tracking to an MLflow server is not available in "
          + "this version yet; unset MLFLOW_TRACKING_URI to log to ./mlruns, then copy runs to the server later.");
    }
    Path root = uri.isEmpty() ? Path.of("mlruns")
        : uri.startsWith("file:") ? Path.of(URI.create(uri)) : Path.of(uri);
    return new LocalTrackingModule(root.toAbsolutePath().normalize());
  }

  /** The embedded default: MLflow's file-store layout, which {@code mlflow ui} and the MLflow client read. */
  static final class LocalTrackingModule extends AbstractModule {
    private final Path root;

    LocalTrackingModule(Path root) {
      this.root = root;
    }

    @Override
    protected void configure() {
      bind(Tracker.class).toProvider(() -> FileStoreTracker.at(root));
    }
  }
}
