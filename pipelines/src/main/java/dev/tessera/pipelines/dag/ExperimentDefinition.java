package dev.tessera.pipelines.dag;

import dev.tessera.pipelines.extension.Registered;

/**
 * A ready experiment the CLI can find by name ({@code tessera run <name>}). Implementations read top to bottom:
 * {@link #define()} returns the DAG with its default settings.
 *
 * <p>Registered through {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.tessera.pipelines.dag.ExperimentDefinition} of your jar and run it with
 * {@code tessera run --classpath your.jar <name>}; or write it in one file and run {@code tessera run
 * MyExperiment.java}. The built-in experiments are registered the same way.
 */
public interface ExperimentDefinition extends Registered {

  /** The name used on the command line, equal to {@code define().name()}. */
  @Override
  String name();

  /** One line for {@code tessera list}. */
  @Override
  String description();

  /** The experiment with its default settings. */
  Experiment define();
}
