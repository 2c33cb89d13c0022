package dev.tessera.stages.detection.voc;

import dev.tessera.stages.detection.boxes.Corners;
import java.io.Serializable;

/**
 * A ground-truth box for VOC evaluation. A {@code difficult} box does not count towards recall, and a detection
 * matching it is neither a hit nor a false positive.
 */
public record VocBox(Corners box, int classId, boolean difficult) implements Serializable {}
