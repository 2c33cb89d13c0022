package dev.tessera.runners.cli;

/** A mistake in how a command was called; the CLI prints the message and exits with code 2. */
public class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
