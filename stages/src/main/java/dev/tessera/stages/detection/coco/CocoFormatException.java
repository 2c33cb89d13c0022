package dev.tessera.stages.detection.coco;

import java.nio.file.Path;

/** A COCO JSON file that cannot be read: its message names the file and what is wrong with it. */
public final class CocoFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  CocoFormatException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
  }
}
