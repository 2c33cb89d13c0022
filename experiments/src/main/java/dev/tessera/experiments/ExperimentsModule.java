package dev.tessera.experiments;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import dev.tessera.pipelines.dag.ExperimentDefinition;

/**
 * Registers every ready experiment by name. A duplicate name fails when the injector is built. To add an
 * experiment, write an {@link ExperimentDefinition} and add one line here.
 */
public final class ExperimentsModule extends AbstractModule {
  @Override
  protected void configure() {
    MapBinder<String, ExperimentDefinition> experiments =
        MapBinder.newMapBinder(binder(), String.class, ExperimentDefinition.class);
    experiments.addBinding(Demo.NAME).to(Demo.class);
    experiments.addBinding(DemoSweep.NAME).to(DemoSweep.class);
    experiments.addBinding(MnistLenet.NAME).to(MnistLenet.class);
    experiments.addBinding(MnistLenetOnline.NAME).to(MnistLenetOnline.class);
    experiments.addBinding(BccdDetectorData.NAME).to(BccdDetectorData.class);
  }
}
