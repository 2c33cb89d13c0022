package dev.tessera.pipelines.tracking.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ModelReferenceTest {

  @Test
  void readsTheChampionOfAnExperimentAndMlflowModelUris() {
    assertEquals(new ModelReference("mnist-lenet", "champion", OptionalLong.empty()),
        ModelReference.parse("champion:mnist-lenet"));
    assertEquals(new ModelReference("mnist-lenet", "challenger", OptionalLong.empty()),
        ModelReference.parse("models:/mnist-lenet@challenger"));
    assertEquals(new ModelReference("mnist-lenet", null, OptionalLong.of(3)),
        ModelReference.parse("models:/mnist-lenet/3"));
  }

  @Test
  void rejectsTextWithoutAFormNamingTheForms() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelReference.parse("mnist-lenet"));
    assertEquals("model reference 'mnist-lenet' has no recognised form. Use champion:<experiment> (any alias: "
        + "challenger:<experiment>), models:/<model>@<alias> or models:/<model>/<version>.", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ModelReference.parse("latest:mnist-lenet"));
  }
}
