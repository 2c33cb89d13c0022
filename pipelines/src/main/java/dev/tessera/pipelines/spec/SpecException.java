package dev.tessera.pipelines.spec;

/** A spec or override that cannot be accepted; the message names the path, the value, what is allowed. */
public class SpecException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public SpecException(String message) {
    super(message);
  }

  public SpecException(String message, Throwable cause) {
    super(message, cause);
  }
}
