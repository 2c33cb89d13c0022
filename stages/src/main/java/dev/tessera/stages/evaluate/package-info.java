/** The evaluate stage: classification reports (confusion matrix, precision/recall/F1) and their plots. */
package dev.tessera.stages.evaluate;
