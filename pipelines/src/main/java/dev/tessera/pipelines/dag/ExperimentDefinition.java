package dev.tessera.pipelines.dag;

/**
 * A ready experiment the CLI can find by name ({@code tessera run <name>}). Implementations read top to bottom:
 * {@link #define()} returns the DAG with its default settings.
 */
public interface ExperimentDefinition {

  /** The name used on the command line, equal to {@code define().name()}. */
  String name();

  /** One line for {@code tessera list}. */
  String description();

  /** The experiment with its default settings. */
  Experiment define();
}
