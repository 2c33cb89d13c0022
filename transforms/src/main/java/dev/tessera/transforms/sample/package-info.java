/** The in-memory sample (pixels, label, boxes, mask) every transform and stage passes around, and its Beam coder. */
package dev.tessera.transforms.sample;
