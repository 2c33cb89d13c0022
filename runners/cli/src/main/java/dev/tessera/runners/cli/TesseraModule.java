package dev.tessera.runners.cli;

import com.google.inject.AbstractModule;
import com.google.inject.name.Names;
import dev.tessera.experiments.ExperimentsModule;
import dev.tessera.pipelines.exec.TesseraHome;
import java.nio.file.Path;
import java.util.Map;

/** The CLI's wiring: experiments, the Tessera home, and the tracking module chosen by the caller. */
public final class TesseraModule extends AbstractModule {
  private final Map<String, String> environment;
  private final AbstractModule tracking;

  /**
   * @param environment the process environment (for {@code TESSERA_HOME})
   * @param tracking the module that binds {@code Tracker}
   */
  public TesseraModule(Map<String, String> environment, AbstractModule tracking) {
    this.environment = Map.copyOf(environment);
    this.tracking = tracking;
  }

  @Override
  protected void configure() {
    install(new ExperimentsModule());
    install(tracking);
    install(new dev.tessera.runners.cli.schedule.ScheduleModule());
    bind(Path.class).annotatedWith(Names.named("tessera.home")).toInstance(TesseraHome.resolve(environment));
    bind(new com.google.inject.TypeLiteral<Map<String, String>>() {}).annotatedWith(Names.named("environment"))
        .toInstance(environment);
  }
}
