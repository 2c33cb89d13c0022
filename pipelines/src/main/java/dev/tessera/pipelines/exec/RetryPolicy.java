package dev.tessera.pipelines.exec;

import java.time.Duration;

/**
 * How often and how patiently to retry a stage that failed with a {@code RetryableStageException}: attempt n+1
 * starts {@code initialBackoff * multiplier^(n-1)} after attempt n failed, capped at {@code maxBackoff}.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {

  /** Three attempts, waiting 1 s then 2 s. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30));

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("retry.maxAttempts must be >= 1, but was " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
      throw new IllegalArgumentException("retry backoffs must be >= 0, but were " + initialBackoff + " and "
          + maxBackoff);
    }
    if (multiplier < 1.0) {
      throw new IllegalArgumentException("retry.multiplier must be >= 1.0, but was " + multiplier);
    }
  }

  /** The wait before attempt {@code nextAttempt} (2 for the first retry). */
  public Duration backoffBefore(int nextAttempt) {
    double millis = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, nextAttempt - 2));
    return Duration.ofMillis((long) Math.min(millis, maxBackoff.toMillis()));
  }
}
