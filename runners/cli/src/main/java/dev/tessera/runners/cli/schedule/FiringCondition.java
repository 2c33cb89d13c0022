package dev.tessera.runners.cli.schedule;

import java.time.Instant;
import java.util.Optional;

/**
 * Decides, at each firing, whether the run is worth starting ({@code --when NAME}). Conditions are registered
 * by name in a Guice {@code MapBinder} (see {@link ScheduleModule}); {@code always} is built in, and a condition
 * such as "only when the input data changed" plugs in the same way.
 */
@FunctionalInterface
public interface FiringCondition {
  /** The condition behind {@code --when always}. */
  String ALWAYS = "always";

  /** Empty to run; otherwise why this firing is skipped (recorded in the history as {@code skipped}). */
  Optional<String> skipReason(ScheduleSpec schedule, Instant firing);
}
