package dev.tessera.runners.cli;

import dev.tessera.pipelines.artifact.ArtifactStore;
import dev.tessera.pipelines.exec.RunStore;
import dev.tessera.pipelines.tracking.Tracker;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Provider;
import java.nio.file.Path;

/** The stores a command works with: artifacts and runs under the Tessera home, and the tracker. */
public final class Workspace {
  private final Path home;
  private final Provider<Tracker> tracker;
  private ArtifactStore store;
  private RunStore runs;

  @Inject
  Workspace(@Named("tessera.home") Path home, Provider<Tracker> tracker) {
    this.home = home;
    this.tracker = tracker;
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
}
