/** MLflow trackers: the embedded file store ({@code ./mlruns}) and the standard system tags. */
package dev.tessera.pipelines.tracking.mlflow;
