package dev.tessera.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.inject.AbstractModule;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.dag.ExperimentDefinition;
import dev.tessera.pipelines.testing.Golden;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every registered experiment: its resolved spec.json and flattened params are golden files. */
class ExperimentsTest {
  private static Map<String, ExperimentDefinition> registered() {
    return Guice.createInjector(new ExperimentsModule())
        .getInstance(Key.get(new TypeLiteral<Map<String, ExperimentDefinition>>() {}));
  }

  @Test
  void everyExperimentIsRegisteredUnderItsOwnName() {
    registered().forEach((name, definition) -> {
      assertEquals(name, definition.name());
      assertEquals(name, definition.define().name());
    });
    assertEquals(java.util.Set.of("bccd-detector-data", "demo", "demo-sweep", "mnist-lenet", "mnist-lenet-online"),
        registered().keySet());
  }

  @Test
  void resolvedSpecsAndParamsMatchGoldenFiles() {
    registered().forEach((name, definition) -> {
      Experiment experiment = definition.define();
      Golden.assertMatches("spec-" + name + ".json", experiment.specJson());
      Golden.assertMatches("params-" + name + ".txt", experiment.params().entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n", "", "\n")));
    });
  }

  @Test
  void duplicateExperimentNameFailsAtStartup() {
    AbstractModule duplicate = new AbstractModule() {
      @Override
      protected void configure() {
        MapBinder.newMapBinder(binder(), String.class, ExperimentDefinition.class)
            .addBinding(Demo.NAME).toInstance(new MnistLenet());
      }
    };
    assertThrows(CreationException.class, () -> Guice.createInjector(new ExperimentsModule(), duplicate)
        .getInstance(Key.get(new TypeLiteral<Map<String, ExperimentDefinition>>() {})));
  }
}
