/**
 * Non-API helpers of the trainer: the DJL training listener, the stateful optimizer, checkpoint files, the
 * model-directory files, the batch-array pool, the native heap setting.
 */
package dev.tessera.stages.train.internal;
