package dev.tessera.stages.ingest;

/** Input that cannot become a sample (corrupt image, unparsable annotation, ...); becomes a {@link DeadLetter}. */
public final class BadInputException extends Exception {
  private static final long serialVersionUID = 1L;

  public BadInputException(String reason) {
    super(reason);
  }

  public BadInputException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
