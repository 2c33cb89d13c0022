/** Image kernels on plain arrays (HWC {@code u8} in, CHW {@code float} or HWC {@code u8} out) and their specs. */
package dev.tessera.transforms.image;
