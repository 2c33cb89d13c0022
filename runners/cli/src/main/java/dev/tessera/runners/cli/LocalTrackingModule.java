package dev.tessera.runners.cli;

import com.google.inject.AbstractModule;
import dev.tessera.pipelines.tracking.Tracker;
import dev.tessera.pipelines.tracking.inputs.FileStoreInputs;
import dev.tessera.pipelines.tracking.inputs.RunInputs;
import dev.tessera.pipelines.tracking.mlflow.FileStoreTracker;
import dev.tessera.pipelines.tracking.registry.FileStoreRegistry;
import dev.tessera.pipelines.tracking.registry.ModelRegistry;
import java.nio.file.Path;

/**
 * The embedded default: MLflow's file-store layout, which {@code mlflow ui} and the MLflow client read, with its
 * Model Registry under {@code mlruns/models} and dataset inputs beside the runs.
 */
public final class LocalTrackingModule extends AbstractModule {
  private final Path root;

  /** @param root the store, normally {@code ./mlruns} */
  public LocalTrackingModule(Path root) {
    this.root = root;
  }

  @Override
  protected void configure() {
    bind(Tracker.class).toProvider(() -> FileStoreTracker.at(root));
    bind(ModelRegistry.class).toProvider(() -> FileStoreRegistry.at(root));
    bind(RunInputs.class).toProvider(() -> FileStoreInputs.at(root));
  }
}
