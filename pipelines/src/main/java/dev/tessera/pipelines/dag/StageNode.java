package dev.tessera.pipelines.dag;

import java.util.List;

/**
 * A stage in an experiment: its name, the stage itself and the names of the stages it reads from.
 *
 * @param name unique within the experiment
 * @param stage the stage with its spec
 * @param after the producing stages, in the order their artifacts bind to {@link Stage#inputs()}
 */
public record StageNode(String name, Stage<?> stage, List<String> after) {
  public StageNode {
    after = List.copyOf(after);
  }
}
