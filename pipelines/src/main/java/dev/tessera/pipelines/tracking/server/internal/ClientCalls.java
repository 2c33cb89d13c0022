package dev.tessera.pipelines.tracking.server.internal;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

/**
 * Runs calls of the MLflow Java client with a deadline. The 2.17.2 client sets no timeouts on its HTTP client and
 * offers no way to set them, so each call runs on a daemon thread and the caller stops waiting at the deadline
 * (the stuck thread is interrupted).
 */
public final class ClientCalls {
  private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "tessera-mlflow-client");
    t.setDaemon(true);
    return t;
  });

  private ClientCalls() {}

  /** A call that did not answer in time. */
  public static final class DeadlineException extends RuntimeException {
    DeadlineException(String message) {
      super(message);
    }
  }

  /**
   * {@code call()}, or a {@link DeadlineException} after {@code deadline}; the call's own runtime exceptions
   * pass through.
   */
  public static <T> T call(String what, Duration deadline, Callable<T> call) {
    Future<T> future = POOL.submit(call);
    try {
      return future.get(deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new DeadlineException(what + " got no answer within " + deadline.toMillis() + " ms");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new DeadlineException(what + " was interrupted");
    }
  }
}
