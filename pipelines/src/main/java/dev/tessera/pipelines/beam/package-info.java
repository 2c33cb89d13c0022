/** Creating Beam pipelines for stages, and Beam transforms over Arrow shards. */
package dev.tessera.pipelines.beam;
