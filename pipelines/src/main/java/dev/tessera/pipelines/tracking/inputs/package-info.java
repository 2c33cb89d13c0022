/** MLflow dataset inputs: which data each run trained and was evaluated on (the UI's Dataset column). */
package dev.tessera.pipelines.tracking.inputs;
