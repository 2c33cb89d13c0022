/** Not API: MLflow's on-disk formats (Python float text, meta.yaml, key rules, atomic writes). */
package dev.tessera.pipelines.tracking.mlflow.internal;
