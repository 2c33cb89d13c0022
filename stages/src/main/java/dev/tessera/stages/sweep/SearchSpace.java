package dev.tessera.stages.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A typed search space: parameters named by spec paths, in declaration order. A conditional parameter's parent is a
 * {@link Choice} declared before it, so sampling in declaration order always knows whether a parameter is active.
 *
 * <pre>{@code
 * SearchSpace space = SearchSpace.parse("""
 *     train.optimizer=choice(adam,sgd)
 *     train.learningRate=loguniform(1e-4,1e-1)
 *     train.momentum=uniform(0.5,0.99) if train.optimizer=sgd
 *     train.epochs=int(1,8)""");
 * space.checkAgainst(Specs.flatten("", spec));   // unknown paths and wrong types fail here, before any trial
 * }</pre>
 */
public record SearchSpace(List<Parameter> parameters) {
  public SearchSpace {
    if (parameters == null || parameters.isEmpty()) {
      throw new IllegalArgumentException("A search space needs at least one parameter, but was empty: add e.g. "
          + "train.learningRate=loguniform(1e-4,1e-1).");
    }
    parameters = List.copyOf(parameters);
    Map<String, Parameter> seen = new LinkedHashMap<>();
    for (Parameter parameter : parameters) {
      if (seen.containsKey(parameter.name())) {
        throw new IllegalArgumentException("Parameter '" + parameter.name() + "' is declared twice: declare each "
            + "spec path once.");
      }
      checkCondition(parameter, seen);
      seen.put(parameter.name(), parameter);
    }
  }

  /** A space of the given parameters, in order. */
  public static SearchSpace of(Parameter... parameters) {
    return new SearchSpace(List.of(parameters));
  }

  /**
   * Parses one parameter per line (or per {@code ;}): {@code path=choice(a,b)}, {@code int(lo,hi)},
   * {@code logint(lo,hi)}, {@code uniform(lo,hi)}, {@code loguniform(lo,hi)}, optionally followed by
   * {@code if parent=v1|v2}. Blank lines and {@code #} comments are skipped.
   */
  public static SearchSpace parse(String text) {
    return SearchSpaceParser.parse(text);
  }

  /** The parameter with this spec path; fails listing the declared paths. */
  public Parameter parameter(String name) {
    for (Parameter parameter : parameters) {
      if (parameter.name().equals(name)) {
        return parameter;
      }
    }
    throw new IllegalArgumentException("The search space has no parameter '" + name + "'; declared: "
        + names() + ".");
  }

  /** The declared spec paths, in order. */
  public List<String> names() {
    return parameters.stream().map(Parameter::name).toList();
  }

  /** Whether {@code parameter} is active given the values chosen so far (parent paths to setting texts). */
  public static boolean isActive(Parameter parameter, Map<String, String> chosen) {
    Condition condition = parameter.condition();
    return condition == null || condition.values().contains(chosen.get(condition.parent()));
  }

  /** A trial with every active parameter drawn uniformly (log-uniformly on log ranges). */
  public Trial sampleUniform(Random random) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Parameter parameter : parameters) {
      if (isActive(parameter, values)) {
        values.put(parameter.name(), parameter.format(parameter.sample(random)));
      }
    }
    return new Trial(values);
  }

  /**
   * Checks the space against a spec's flattened settings (path to current value, as
   * {@code dev.tessera.pipelines.spec.Specs.flatten} gives them): every path must exist, and each parameter's
   * values must fit the setting's type (an integer setting takes {@code int(...)} or integer choices, a number
   * takes ranges or numeric choices, a boolean takes {@code choice(true,false)}). All problems are reported at once.
   */
  public void checkAgainst(Map<String, String> flattenedSpec) {
    List<String> problems = new ArrayList<>();
    for (Parameter parameter : parameters) {
      String current = flattenedSpec.get(parameter.name());
      if (current == null && !flattenedSpec.containsKey(parameter.name())) {
        problems.add("'" + parameter.name() + "' is not a setting of this experiment; valid paths: "
            + flattenedSpec.keySet());
        continue;
      }
      String problem = SettingTypes.mismatch(parameter, current);
      if (problem != null) {
        problems.add(problem);
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("The search space does not fit the experiment's settings:\n  - "
          + String.join("\n  - ", problems));
    }
  }

  private static void checkCondition(Parameter parameter, Map<String, Parameter> declaredBefore) {
    Condition condition = parameter.condition();
    if (condition == null) {
      return;
    }
    Parameter parent = declaredBefore.get(condition.parent());
    if (parent == null) {
      throw new IllegalArgumentException("Parameter '" + parameter.name() + "' depends on '" + condition.parent()
          + "', which is not declared before it; declared before it: " + declaredBefore.keySet()
          + ". Declare the parent choice first.");
    }
    if (!(parent instanceof Choice choice)) {
      throw new IllegalArgumentException("Parameter '" + parameter.name() + "' depends on '" + condition.parent()
          + "', which is " + parent.describe() + ": a condition's parent must be a choice(...).");
    }
    for (String value : condition.values()) {
      if (!choice.choices().contains(value)) {
        throw new IllegalArgumentException("Parameter '" + parameter.name() + "' is active when '"
            + condition.parent() + "' is '" + value + "', which it can never be; its choices: "
            + choice.choices() + ".");
      }
    }
  }
}
