package dev.tessera.stages.sweep;

import java.util.List;

/**
 * Makes a parameter active only when a categorical parent took one of the given values, e.g. {@code train.momentum}
 * only when {@code train.optimizer} is {@code sgd}.
 */
public record Condition(String parent, List<String> values) {
  public Condition {
    if (parent == null || parent.isBlank()) {
      throw new IllegalArgumentException("A condition's parent must be a parameter path such as train.optimizer, "
          + "but was '" + parent + "'.");
    }
    if (values == null || values.isEmpty()) {
      throw new IllegalArgumentException("The condition on parent '" + parent
          + "' lists no values: give at least one of the parent's choices.");
    }
    values = List.copyOf(values);
  }

  @Override
  public String toString() {
    return parent + "=" + String.join("|", values);
  }
}
