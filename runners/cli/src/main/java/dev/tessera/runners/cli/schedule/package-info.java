/** Nightly retraining: cron schedules of experiments, the scheduler that runs them, history, exports, webhooks. */
package dev.tessera.runners.cli.schedule;
