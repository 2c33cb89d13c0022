package dev.tessera.pipelines.extension;

/**
 * Something a {@link Registry} holds under a stable name: an experiment, a model architecture, a loss, a metric.
 * Implementations are found through {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/<the extension point's interface>} of your jar (built-ins are registered the same way).
 */
public interface Registered {

  /** The stable name specs and the command line use, lower case, such as {@code lenet}. */
  String name();

  /** One line for listings. */
  default String description() {
    return "";
  }
}
