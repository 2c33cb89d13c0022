/** The training-step benchmark: Tessera's trainer against the same nets in libtorch's C++ frontend (bytedeco). */
package dev.tessera.benchmarks.train;
