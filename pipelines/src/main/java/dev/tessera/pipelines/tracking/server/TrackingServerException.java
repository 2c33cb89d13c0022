package dev.tessera.pipelines.tracking.server;

/** An MLflow server could not be used: unreachable, rejecting the credentials, or answering with an error. */
public final class TrackingServerException extends RuntimeException {
  private final int status;

  public TrackingServerException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status the server answered with, or 0 when it could not be reached. */
  public int status() {
    return status;
  }
}
