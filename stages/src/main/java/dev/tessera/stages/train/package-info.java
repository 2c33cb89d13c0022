/**
 * Training image classifiers with DJL (PyTorch engine): model, optimizer, schedule, checkpoint, validation and EMA
 * specs, devices, batch sources, and the trainer, which resumes exactly from its checkpoints.
 */
package dev.tessera.stages.train;
