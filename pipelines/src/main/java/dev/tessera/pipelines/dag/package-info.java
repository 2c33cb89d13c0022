/** Experiments as DAGs of stages: the builder, its validation, and the stage contract. */
package dev.tessera.pipelines.dag;
