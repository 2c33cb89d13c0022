package dev.tessera.runners.cli.schedule;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import java.time.Clock;
import java.util.Optional;

/**
 * Scheduling's wiring: the clock (tests bind their own), the launcher of runs, the webhook sender, and the
 * registry of {@code --when} conditions, which other modules add to with {@code MapBinder.newMapBinder(binder(),
 * String.class, FiringCondition.class).addBinding("name")}.
 */
public final class ScheduleModule extends AbstractModule {
  @Override
  protected void configure() {
    bind(Clock.class).toInstance(Clock.systemUTC());
    bind(ChildProcessLauncher.class).in(Singleton.class);
    bind(Launcher.class).to(ChildProcessLauncher.class);
    bind(WebhookNotifier.class).in(Singleton.class);
    MapBinder.newMapBinder(binder(), String.class, FiringCondition.class)
        .addBinding(FiringCondition.ALWAYS).toInstance((schedule, firing) -> Optional.empty());
  }
}
