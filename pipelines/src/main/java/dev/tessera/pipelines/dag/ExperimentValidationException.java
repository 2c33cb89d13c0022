package dev.tessera.pipelines.dag;

import java.util.List;

/**
 * An experiment that cannot run as declared. Holds every problem found, one message each; each message names the
 * stage, the offending value, what is allowed and how to fix it.
 */
public class ExperimentValidationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public ExperimentValidationException(String experiment, List<String> problems) {
    super(format(experiment, problems));
    this.problems = List.copyOf(problems);
  }

  /** One message per problem. */
  public List<String> problems() {
    return problems;
  }

  private static String format(String experiment, List<String> problems) {
    if (problems.size() == 1) {
      return "Experiment '" + experiment + "' is invalid: " + problems.get(0);
    }
    StringBuilder text = new StringBuilder("Experiment '" + experiment + "' has " + problems.size() + " problems:");
    for (String problem : problems) {
      text.append("\n  - ").append(problem);
    }
    return text.toString();
  }
}
