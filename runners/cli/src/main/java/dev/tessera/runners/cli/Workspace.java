package dev.tessera.runners.cli;

import dev.tessera.pipelines.artifact.ArtifactStore;
import dev.tessera.pipelines.artifact.RemoteArtifacts;
import dev.tessera.pipelines.exec.RunStore;
import dev.tessera.pipelines.tracking.Tracker;
import dev.tessera.pipelines.tracking.inputs.RunInputs;
import dev.tessera.pipelines.tracking.registry.ModelRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Provider;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The stores a command works with: artifacts and runs under the Tessera home, and the tracker with its Model
 * Registry and dataset inputs. With {@code TESSERA_ARTIFACT_ROOT=s3://bucket/prefix} the artifacts are also kept
 * in that bucket ({@link RemoteArtifacts}), reached through {@code AWS_ENDPOINT_URL} when set (an S3-compatible server) and the AWS SDK's
 * usual credentials ({@code AWS_ACCESS_KEY_ID}, {@code AWS_PROFILE}, ...).
 */
public final class Workspace {
  private final Path home;
  private final Map<String, String> environment;
  private final Provider<Tracker> tracker;
  private final Provider<ModelRegistry> registry;
  private final Provider<RunInputs> inputs;
  private ArtifactStore store;
  private RunStore runs;

  @Inject
  Workspace(@Named("tessera.home") Path home, @Named("environment") Map<String, String> environment,
      Provider<Tracker> tracker, Provider<ModelRegistry> registry, Provider<RunInputs> inputs) {
    this.home = home;
    this.environment = environment;
    this.tracker = tracker;
    this.registry = registry;
    this.inputs = inputs;
  }

  public Path home() {
    return home;
  }

  /**
   * The artifact store, created on first use (commands like {@code dag} never touch the disk); a remote artifact
   * root is checked then, before any stage runs.
   */
  public synchronized ArtifactStore store() {
    if (store == null) {
      String root = environment.get("TESSERA_ARTIFACT_ROOT");
      RemoteArtifacts remote = null;
      if (root != null && !root.isBlank()) {
        try {
          remote = RemoteArtifacts.open(root.strip(), storageArgs());
        } catch (IllegalArgumentException e) {
          throw new UsageException(e.getMessage() + ".");
        }
      }
      store = new ArtifactStore(home, remote);
    }
    return store;
  }

  /**
   * Beam arguments for the artifact root's file system, which every pipeline of the run also gets (the file
   * systems are configured per process): {@code --endpoint} from {@code AWS_ENDPOINT_URL}, else none.
   */
  public List<String> storageArgs() {
    String endpoint = environment.get("AWS_ENDPOINT_URL");
    boolean remote = environment.getOrDefault("TESSERA_ARTIFACT_ROOT", "").startsWith("s3://");
    return remote && endpoint != null && !endpoint.isBlank() ? List.of("--endpoint=" + endpoint.strip()) : List.of();
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
