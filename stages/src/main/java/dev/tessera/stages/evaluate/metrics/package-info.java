/**
 * Classification metrics computed on plain arrays, equal to scikit-learn's within 1e-9: ROC and precision-recall
 * curves, ROC AUC, average precision, top-k accuracy, log loss, balanced accuracy and Cohen's kappa.
 */
package dev.tessera.stages.evaluate.metrics;
