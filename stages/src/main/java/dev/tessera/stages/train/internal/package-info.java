/** Non-API helpers of the trainer: the DJL training listener and the model-directory files. */
package dev.tessera.stages.train.internal;
