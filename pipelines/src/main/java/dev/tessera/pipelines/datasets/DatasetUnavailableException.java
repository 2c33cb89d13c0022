package dev.tessera.pipelines.datasets;

import java.io.IOException;
import java.util.List;

/**
 * No source could provide a file of a dataset. The message lists every source tried with its reason and says how
 * to make the data available; {@link #attempts()} holds the same lines.
 */
public final class DatasetUnavailableException extends IOException {
  private static final long serialVersionUID = 1L;
  private final String dataset;
  private final String file;
  private final List<String> attempts;

  public DatasetUnavailableException(String dataset, String file, List<String> attempts, String howToFix) {
    super("Dataset '" + dataset + "' is not available: no source provided a verified copy of " + file + ".\n"
        + "Tried:\n  - " + String.join("\n  - ", attempts) + "\n" + howToFix);
    this.dataset = dataset;
    this.file = file;
    this.attempts = List.copyOf(attempts);
  }

  public String dataset() {
    return dataset;
  }

  public String file() {
    return file;
  }

  /** One line per source tried: where, and why it failed. */
  public List<String> attempts() {
    return attempts;
  }
}
