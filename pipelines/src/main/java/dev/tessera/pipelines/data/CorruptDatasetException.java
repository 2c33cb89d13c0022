package dev.tessera.pipelines.data;

import java.io.IOException;
import java.util.List;

/** Shards of a dataset directory no longer match their {@code shards.json}; the message names each one. */
public final class CorruptDatasetException extends IOException {
  private static final long serialVersionUID = 1L;
  private final transient List<ShardProblem> problems;

  public CorruptDatasetException(String message, List<ShardProblem> problems) {
    super(message);
    this.problems = List.copyOf(problems);
  }

  public List<ShardProblem> problems() {
    return problems;
  }
}
