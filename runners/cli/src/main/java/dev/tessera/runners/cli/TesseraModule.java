package dev.tessera.runners.cli;

import com.google.inject.AbstractModule;
import com.google.inject.name.Names;
import dev.tessera.pipelines.exec.TesseraHome;
import java.nio.file.Path;
import java.util.Map;

/** The CLI's wiring: the user's class path, the Tessera home, and the tracking module chosen by the caller. */
public final class TesseraModule extends AbstractModule {
  private final Map<String, String> environment;
  private final AbstractModule tracking;
  private final UserClassPath userCode;

  /**
   * @param environment the process environment (for {@code TESSERA_HOME})
   * @param tracking the module that binds {@code Tracker}
   * @param userCode the user's jars and class folders ({@code --classpath}, {@code TESSERA_CLASSPATH})
   */
  TesseraModule(Map<String, String> environment, AbstractModule tracking, UserClassPath userCode) {
    this.environment = Map.copyOf(environment);
    this.tracking = tracking;
    this.userCode = userCode;
  }

  @Override
  protected void configure() {
    install(tracking);
    bind(UserClassPath.class).toInstance(userCode);
    install(new dev.tessera.runners.cli.schedule.ScheduleModule());
    // Needs the experiments (and so the user's class path): registered here rather than in ScheduleModule.
    com.google.inject.multibindings.MapBinder.newMapBinder(binder(), String.class,
        dev.tessera.runners.cli.schedule.FiringCondition.class)
        .addBinding(dev.tessera.runners.cli.schedule.DataChangedCondition.NAME)
        .to(dev.tessera.runners.cli.schedule.DataChangedCondition.class);
    bind(Path.class).annotatedWith(Names.named("tessera.home")).toInstance(TesseraHome.resolve(environment));
    bind(new com.google.inject.TypeLiteral<Map<String, String>>() {}).annotatedWith(Names.named("environment"))
        .toInstance(environment);
  }
}
