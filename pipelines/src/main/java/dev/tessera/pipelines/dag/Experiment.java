package dev.tessera.pipelines.dag;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.pipelines.spec.Overrides;
import dev.tessera.pipelines.spec.SpecException;
import dev.tessera.pipelines.spec.SpecOverride;
import dev.tessera.pipelines.spec.Specs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * An experiment: named stages with dependencies by name, validated before anything runs.
 *
 * <pre>{@code
 * Experiment.named("mnist-lenet")
 *     .seed(42)
 *     .stage("ingest", Ingest.dataset("mnist"))
 *     .stage("preprocess", Preprocess.normalize(0.1307, 0.3081), after("ingest"))
 *     .stage("train", Train.classifier(...), after("preprocess"))
 *     .build();
 * }</pre>
 *
 * <p>Immutable. {@link #stages()} is in a topological order that keeps declaration order among independent stages.
 */
public final class Experiment {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]*");

  private final String name;
  private final long seed;
  private final String description;
  private final List<StageNode> stages;

  private Experiment(String name, long seed, String description, List<StageNode> topologicallySorted) {
    this.name = name;
    this.seed = seed;
    this.description = description;
    this.stages = List.copyOf(topologicallySorted);
  }

  /** Starts an experiment definition. */
  public static Builder named(String name) {
    return new Builder(name);
  }

  /** Names the stages a stage reads from, for {@link Builder#stage(String, Stage, String...)}. */
  public static String[] after(String... stages) {
    return stages;
  }

  public String name() {
    return name;
  }

  public long seed() {
    return seed;
  }

  public String description() {
    return description;
  }

  /** The stages in a topological order. */
  public List<StageNode> stages() {
    return stages;
  }

  /** The stage of that name. */
  public StageNode stage(String stageName) {
    return stages.stream().filter(s -> s.name().equals(stageName)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("Experiment '" + name + "' has no stage '" + stageName
            + "'. Stages: " + stageNames() + "."));
  }

  /** Stage names in topological order. */
  public List<String> stageNames() {
    return stages.stream().map(StageNode::name).toList();
  }

  /**
   * A copy with {@code --set} overrides applied: {@code seed=7} sets the experiment seed, {@code stage.key=value}
   * a spec value. The copy is validated again.
   *
   * @throws SpecException for an unknown path (listing every valid path) or a value the spec rejects
   */
  public Experiment withOverrides(List<SpecOverride> overrides) {
    if (overrides.isEmpty()) {
      return this;
    }
    long newSeed = seed;
    Map<String, List<SpecOverride>> byStage = new LinkedHashMap<>();
    for (SpecOverride override : overrides) {
      if (override.path().equals("seed")) {
        try {
          newSeed = Long.parseLong(override.value());
        } catch (NumberFormatException e) {
          throw new SpecException("--set " + override + ": seed expects an integer, but was '" + override.value()
              + "'.");
        }
        continue;
      }
      boolean known = stages.stream().anyMatch(s -> s.name().equals(override.stage()))
          && params().containsKey(override.path());
      if (!known) {
        throw new SpecException("Unknown override path '" + override.path() + "' in experiment '" + name
            + "'. Valid paths: " + new TreeSet<>(params().keySet()) + ".");
      }
      byStage.computeIfAbsent(override.stage(), k -> new ArrayList<>()).add(override);
    }
    Builder builder = named(name).seed(newSeed).description(description);
    for (StageNode node : stages) {
      Stage<?> stage = withSpecOverrides(node.stage(), byStage.getOrDefault(node.name(), List.of()));
      builder.stage(node.name(), stage, node.after().toArray(String[]::new));
    }
    return builder.build();
  }

  private static <S extends StageSpec> Stage<S> withSpecOverrides(Stage<S> stage, List<SpecOverride> overrides) {
    return overrides.isEmpty() ? stage : stage.withSpec(Overrides.apply(stage.spec(), overrides));
  }

  /**
   * The flattened params of the whole experiment: {@code seed} and every {@code stage.key=value}, as logged to
   * MLflow.
   */
  public Map<String, String> params() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("seed", Long.toString(seed));
    for (StageNode node : stages) {
      params.putAll(Specs.flatten(node.name(), node.stage().spec()));
    }
    return params;
  }

  /** The whole resolved experiment as a JSON tree: name, seed and each stage's kind, dependencies and spec. */
  public ObjectNode toJson() {
    ObjectNode root = Specs.mapper().createObjectNode();
    root.put("experiment", name);
    root.put("seed", seed);
    ObjectNode stageNodes = root.putObject("stages");
    for (StageNode node : stages) {
      ObjectNode stage = stageNodes.putObject(node.name());
      stage.put("kind", node.stage().kind());
      stage.putPOJO("after", node.after());
      stage.set("spec", Specs.toTree(node.stage().spec()));
    }
    return root;
  }

  /** Canonical, indented {@code spec.json}. */
  public String specJson() {
    return Specs.prettyJson(toJson());
  }

  /** Collects stages; {@link #build()} validates them all at once. */
  public static final class Builder {
    private final String name;
    private long seed = 0;
    private String description = "";
    private final List<StageNode> nodes = new ArrayList<>();

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    /** The experiment seed every stage derives its randomness from (default 0). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** A one-line description shown by {@code tessera list}. */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /** Adds a stage that reads the artifacts of the {@code after} stages. */
    public Builder stage(String stageName, Stage<?> stage, String... after) {
      nodes.add(new StageNode(stageName, Objects.requireNonNull(stage, "stage"), Arrays.asList(after)));
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws ExperimentValidationException listing every problem: bad names, duplicate stages, unknown
     *     dependencies, cycles, inputs whose kind does not match
     */
    public Experiment build() {
      List<String> problems = new ArrayList<>();
      if (!NAME.matcher(name).matches()) {
        problems.add("Experiment name '" + name + "' must match " + NAME.pattern()
            + " (lower-case letters, digits, '-', '_'), for example 'mnist-lenet'.");
      }
      Map<String, StageNode> byName = new LinkedHashMap<>();
      for (int i = 0; i < nodes.size(); i++) {
        StageNode node = nodes.get(i);
        if (!NAME.matcher(node.name()).matches()) {
          problems.add("Stage name '" + node.name() + "' must match " + NAME.pattern()
              + " (lower-case letters, digits, '-', '_'), for example 'train'.");
        }
        if (byName.containsKey(node.name())) {
          problems.add("Stage name '" + node.name() + "' is defined twice (stages #" + (indexOf(node.name()) + 1)
              + " and #" + (i + 1) + "). Give each stage a unique name.");
        } else {
          byName.put(node.name(), node);
        }
      }
      for (StageNode node : byName.values()) {
        for (String dependency : node.after()) {
          if (!byName.containsKey(dependency)) {
            problems.add("Stage '" + node.name() + "' depends on '" + dependency + "', which is not defined."
                + suggestion(dependency, byName.keySet()) + " Defined stages: " + new TreeSet<>(byName.keySet())
                + ".");
          }
        }
      }
      if (problems.isEmpty()) {
        List<String> cycle = Graphs.findCycle(byName);
        if (!cycle.isEmpty()) {
          problems.add("Cycle: " + String.join(" -> ", cycle) + ". Remove one of these dependencies.");
        }
      }
      if (problems.isEmpty()) {
        for (StageNode node : byName.values()) {
          problems.addAll(Graphs.checkInputs(node, byName));
        }
      }
      if (!problems.isEmpty()) {
        throw new ExperimentValidationException(name, problems);
      }
      return new Experiment(name, seed, description, Graphs.topologicalOrder(byName));
    }

    private int indexOf(String stageName) {
      for (int i = 0; i < nodes.size(); i++) {
        if (nodes.get(i).name().equals(stageName)) {
          return i;
        }
      }
      return -1;
    }

    private static String suggestion(String wrong, java.util.Collection<String> names) {
      String best = null;
      int bestDistance = 3;
      for (String candidate : names) {
        int d = Graphs.editDistance(wrong, candidate);
        if (d < bestDistance) {
          best = candidate;
          bestDistance = d;
        }
      }
      return best == null ? "" : " Did you mean '" + best + "'?";
    }
  }
}
