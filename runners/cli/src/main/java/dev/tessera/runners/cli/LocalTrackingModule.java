package dev.tessera.runners.cli;

import com.google.inject.AbstractModule;
import dev.tessera.pipelines.tracking.Tracker;
import dev.tessera.pipelines.tracking.mlflow.FileStoreTracker;
import java.nio.file.Path;

/** The embedded default: MLflow's file-store layout, which {@code mlflow ui} and the MLflow client read. */
public final class LocalTrackingModule extends AbstractModule {
  private final Path root;

  /** @param root the store, normally {@code ./mlruns} */
  public LocalTrackingModule(Path root) {
    this.root = root;
  }

  @Override
  protected void configure() {
    bind(Tracker.class).toProvider(() -> FileStoreTracker.at(root));
  }
}
