package dev.tessera.stages.sweep;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** A categorical parameter: one of a fixed list of values, each given as the text a {@code --set} takes. */
public record Choice(String name, List<String> choices, Condition condition) implements Parameter {
  public Choice {
    Ranges.checkName(name);
    if (choices == null || choices.isEmpty()) {
      throw new IllegalArgumentException("Parameter '" + name + "' is a choice with no values: list at least one,"
          + " e.g. " + name + "=choice(32,64,128).");
    }
    choices = List.copyOf(choices);
    Set<String> seen = new HashSet<>();
    for (String choice : choices) {
      if (choice == null || choice.isBlank()) {
        throw new IllegalArgumentException("Parameter '" + name + "' has an empty choice in " + choices
            + ": every choice must be a non-empty value.");
      }
      if (!seen.add(choice)) {
        throw new IllegalArgumentException("Parameter '" + name + "' lists the choice '" + choice + "' twice in "
            + choices + ": list each value once.");
      }
    }
  }

  /** A choice that is always active. */
  public Choice(String name, List<String> choices) {
    this(name, choices, null);
  }

  @Override
  public Choice when(String parent, String... values) {
    return new Choice(name, choices, new Condition(parent, List.of(values)));
  }

  @Override
  public String format(double internal) {
    return choices.get((int) internal);
  }

  @Override
  public double internal(String value) {
    int index = choices.indexOf(value);
    if (index < 0) {
      throw new IllegalArgumentException("Parameter '" + name + "' has no choice '" + value + "'; allowed: "
          + choices + ".");
    }
    return index;
  }

  @Override
  public double sample(Random random) {
    return random.nextInt(choices.size());
  }

  @Override
  public String describe() {
    return "choice(" + String.join(",", choices) + ")";
  }
}
