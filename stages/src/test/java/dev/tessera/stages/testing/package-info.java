/** The contract every Beam runner meets on Tessera's Beam stages, shared by the runner modules' tests. */
package dev.tessera.stages.testing;
