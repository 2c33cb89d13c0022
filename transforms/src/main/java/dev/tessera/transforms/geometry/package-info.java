/** Box geometry shared by the image kernels: scaling, translation, flips, clipping and filtering, in pixels. */
package dev.tessera.transforms.geometry;
