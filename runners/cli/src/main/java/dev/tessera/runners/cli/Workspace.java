package dev.tessera.runners.cli;

import dev.tessera.pipelines.artifact.ArtifactStore;
import dev.tessera.pipelines.exec.RunStore;
import dev.tessera.pipelines.tracking.Tracker;
import dev.tessera.pipelines.tracking.inputs.RunInputs;
import dev.tessera.pipelines.tracking.registry.ModelRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Provider;
import java.nio.file.Path;

/**
 * The stores a command works with: artifacts and runs under the Tessera home, and the tracker with its Model
 * Registry and dataset inputs.
 */
public final class Workspace {
  private final Path home;
  private final Provider<Tracker> tracker;
  private final Provider<ModelRegistry> registry;
  private final Provider<RunInputs> inputs;
  private ArtifactStore store;
  private RunStore runs;

  @Inject
  Workspace(@Named("tessera.home") Path home, Provider<Tracker> tracker, Provider<ModelRegistry> registry,
      Provider<RunInputs> inputs) {
    this.home = home;
    this.tracker = tracker;
    this.registry = registry;
    this.inputs = inputs;
  }

  public Path home() {
    return home;
  }

  /** The artifact store, created on first use (commands like {@code dag} never touch the disk). */
  public synchronized ArtifactStore store() {
    if (store == null) {
      store = new ArtifactStore(home);
    }
    return store;
  }

  public synchronized RunStore runs() {
    if (runs == null) {
      runs = new RunStore(home);
    }
    return runs;
  }

  /** The tracker, created on first use (an MLflow server is checked then, before any stage runs). */
  public Tracker tracker() {
    return tracker.get();
  }

  /** The tracker's Model Registry (./mlruns/models, or the server's), created on first use. */
  public ModelRegistry registry() {
    return registry.get();
  }

  /** Where runs' dataset inputs are logged, in the tracker's store. */
  public RunInputs inputs() {
    return inputs.get();
  }
}
