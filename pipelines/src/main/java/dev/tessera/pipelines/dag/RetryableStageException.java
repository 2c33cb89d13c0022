package dev.tessera.pipelines.dag;

/**
 * Thrown by a stage for a failure that may pass when tried again (a flaky download, a busy server). The executor
 * retries such failures with exponential backoff; any other exception fails the stage at once.
 */
public class RetryableStageException extends Exception {
  private static final long serialVersionUID = 1L;

  public RetryableStageException(String message) {
    super(message);
  }

  public RetryableStageException(String message, Throwable cause) {
    super(message, cause);
  }
}
