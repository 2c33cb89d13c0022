/** Tracking to an MLflow server: the official Java client, artifacts over REST, a durable spool for outages. */
package dev.tessera.pipelines.tracking.server;
