/** Pictures of samples: grids of images with their boxes drawn, for previews and reports. */
package dev.tessera.stages.preview;
