/** Random augmentations (flip, crops, color jitter, mosaic, mixup) whose every choice is seeded per sample. */
package dev.tessera.transforms.augment;
