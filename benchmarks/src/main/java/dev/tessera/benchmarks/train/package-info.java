/** Training-step benchmarks: Tessera's classifier and detector steps against the same nets in libtorch (bytedeco). */
package dev.tessera.benchmarks.train;
