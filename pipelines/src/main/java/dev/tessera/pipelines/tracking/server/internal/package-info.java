/** The server tracker's REST calls, spool journal, log-batch planning and background sender. */
package dev.tessera.pipelines.tracking.server.internal;
