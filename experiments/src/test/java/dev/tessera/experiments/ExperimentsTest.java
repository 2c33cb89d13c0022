package dev.tessera.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.dag.ExperimentDefinition;
import dev.tessera.pipelines.extension.ExtensionException;
import dev.tessera.pipelines.extension.Registry;
import dev.tessera.pipelines.testing.Golden;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every registered experiment: its resolved spec.json and flattened params are golden files. */
class ExperimentsTest {
  private static Registry<ExperimentDefinition> registered() {
    return Registry.load("experiment", ExperimentDefinition.class, ExperimentsTest.class.getClassLoader());
  }

  @Test
  void everyExperimentIsRegisteredUnderItsOwnName() {
    registered().entries().forEach(entry -> {
      assertEquals(entry.name(), entry.value().define().name());
      assertTrue(entry.source().startsWith("built-in ("), entry.source());
    });
    assertEquals(java.util.Set.of("bccd-detector-data", "bccd-yolo", "demo", "demo-sweep", "fashion-resnet",
        "isbi-unet", "mnist-folder", "mnist-lenet", "mnist-lenet-online", "mnist-lenet-sweep"), registered().names());
  }

  @Test
  void resolvedSpecsAndParamsMatchGoldenFiles() {
    registered().entries().forEach(entry -> {
      Experiment experiment = entry.value().define();
      Golden.assertMatches("spec-" + entry.name() + ".json", experiment.specJson());
      Golden.assertMatches("params-" + entry.name() + ".txt", experiment.params().entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n", "", "\n")));
    });
  }

  @Test
  void everySweepSpaceFitsTheSettingsOfTheStagesItWraps() {
    registered().entries().forEach(entry -> entry.value().define().stages().forEach(node -> {
      if (node.stage() instanceof dev.tessera.stages.sweep.Sweep sweep) {
        dev.tessera.stages.sweep.SearchSpace.parse(sweep.spec().space()).checkAgainst(sweep.settings());
      }
    }));
  }

  @Test
  void duplicateExperimentNameIsAnErrorNamingBothSources() {
    ExperimentDefinition impostor = new ExperimentDefinition() {
      @Override
      public String name() {
        return Demo.NAME;
      }

      @Override
      public String description() {
        return "another experiment that took the name";
      }

      @Override
      public Experiment define() {
        return new Demo().define();
      }
    };
    ExtensionException e = org.junit.jupiter.api.Assertions.assertThrows(ExtensionException.class,
        () -> registered().plus(impostor, "/home/user/my-experiments.jar"));
    assertTrue(e.getMessage().startsWith("Two experiments are named 'demo': dev.tessera.experiments.Demo from "
        + "built-in ("), e.getMessage());
    assertTrue(e.getMessage().endsWith("from /home/user/my-experiments.jar. Rename one of them."), e.getMessage());
  }
}
