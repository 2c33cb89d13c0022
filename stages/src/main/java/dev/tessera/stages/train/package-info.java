/** Training image classifiers with DJL (PyTorch engine): model specs, devices, batch sources, the trainer. */
package dev.tessera.stages.train;
