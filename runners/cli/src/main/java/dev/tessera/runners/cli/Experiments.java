package dev.tessera.runners.cli;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.dag.ExperimentDefinition;
import dev.tessera.pipelines.spec.SpecOverride;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The registered experiments, by name. */
public final class Experiments {
  private final Map<String, ExperimentDefinition> byName;

  @Inject
  Experiments(Map<String, ExperimentDefinition> byName) {
    this.byName = new TreeMap<>(byName);
  }

  /** All definitions, sorted by name. */
  public Map<String, ExperimentDefinition> all() {
    return byName;
  }

  /** The definition of that name, or a usage error listing the known names. */
  public ExperimentDefinition get(String name) {
    ExperimentDefinition definition = byName.get(name);
    if (definition == null) {
      throw new UsageException("Unknown experiment '" + name + "'. Known experiments: " + byName.keySet()
          + ". Run 'tessera list' to see what each does.");
    }
    return definition;
  }

  /** The experiment with {@code --set} overrides applied (validated again). */
  public Experiment resolve(String name, List<String> overrides) {
    return get(name).define().withOverrides(SpecOverride.parseAll(overrides));
  }
}
