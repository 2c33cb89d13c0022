/**
 * Hyperparameter search: typed search spaces over spec paths, grid, random and TPE strategies, and early-stopping
 * schedulers (successive halving / ASHA, median stopping), as plain decision logic a sweep stage drives.
 */
package dev.tessera.stages.sweep;
