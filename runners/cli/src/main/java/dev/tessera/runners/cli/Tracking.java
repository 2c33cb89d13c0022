package dev.tessera.runners.cli;

import com.google.inject.AbstractModule;
import dev.tessera.pipelines.tracking.Tracker;
import java.util.Map;

/** Chooses the tracking module from the environment. */
final class Tracking {
  private Tracking() {}

  static AbstractModule moduleFor(Map<String, String> environment) {
    return new AbstractModule() {
      @Override
      protected void configure() {
        bind(Tracker.class).toInstance(Tracker.none());
      }
    };
  }
}
