/** Classification metrics (confusion matrix, precision/recall/F1) and their plots. */
package dev.tessera.stages.evaluate;
