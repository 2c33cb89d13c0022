package dev.tessera.pipelines.extension;

/**
 * User code that cannot be used: a class-path entry that is missing or unreadable, an experiment file that does
 * not define exactly one experiment, two registry entries with the same name. The message says what and where.
 */
public final class ExtensionException extends RuntimeException {
  public ExtensionException(String message) {
    super(message);
  }

  public ExtensionException(String message, Throwable cause) {
    super(message, cause);
  }
}
