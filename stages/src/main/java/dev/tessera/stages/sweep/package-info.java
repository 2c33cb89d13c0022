/**
 * Hyperparameter search: typed search spaces over spec paths, grid, random and TPE strategies, early-stopping
 * schedulers (successive halving / ASHA, median stopping) as plain decision logic a sweep stage drives, and the slots
 * that train its trials: threads of this process, or elements of Beam jobs on the run's runner.
 */
package dev.tessera.stages.sweep;
