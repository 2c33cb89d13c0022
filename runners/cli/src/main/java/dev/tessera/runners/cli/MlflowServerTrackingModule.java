package dev.tessera.runners.cli;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.tessera.pipelines.tracking.Tracker;
import dev.tessera.pipelines.tracking.inputs.RunInputs;
import dev.tessera.pipelines.tracking.inputs.ServerInputs;
import dev.tessera.pipelines.tracking.registry.ModelRegistry;
import dev.tessera.pipelines.tracking.registry.ServerRegistry;
import dev.tessera.pipelines.tracking.server.Credentials;
import dev.tessera.pipelines.tracking.server.ServerSettings;
import dev.tessera.pipelines.tracking.server.ServerTracker;
import jakarta.inject.Named;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Tracking to an MLflow server ({@code MLFLOW_TRACKING_URI=http(s)://...} or {@code --tracking-uri}), with
 * credentials from {@code MLFLOW_TRACKING_TOKEN} or {@code MLFLOW_TRACKING_USERNAME}/{@code PASSWORD} and the
 * spool under {@code $TESSERA_HOME/spool}. The server is checked when the tracker is first needed (before any
 * stage runs), not when the module is configured: commands that do not track never connect.
 */
public final class MlflowServerTrackingModule extends AbstractModule {
  private final URI uri;
  private final Credentials credentials;

  /**
   * @throws IllegalArgumentException for a URI that is not http(s) or carries user info, or half-set credentials
   */
  public MlflowServerTrackingModule(URI uri, Map<String, String> environment) {
    this.credentials = Credentials.fromEnvironment(environment);
    this.uri = ServerSettings.of(uri, credentials, Path.of("spool")).uri(); // validates
  }

  @Provides
  @Singleton
  ServerTracker serverTracker(@Named("tessera.home") Path home) {
    return ServerTracker.connect(ServerSettings.of(uri, credentials, home.resolve("spool")));
  }

  @Provides
  Tracker tracker(ServerTracker tracker) {
    return tracker;
  }

  /** The server's Model Registry, with the tracker's credentials. */
  @Provides
  ModelRegistry registry(ServerTracker tracker) {
    return ServerRegistry.of(tracker);
  }

  @Provides
  RunInputs inputs(ServerTracker tracker) {
    return ServerInputs.of(tracker);
  }
}
