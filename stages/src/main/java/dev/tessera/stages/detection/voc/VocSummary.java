package dev.tessera.stages.detection.voc;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * VOC AP per class id (only classes with non-difficult ground truth) and their mean; the mean is -1 when no class
 * has ground truth.
 */
public record VocSummary(Map<Integer, Double> classAp, double meanAp) implements Serializable {
  public VocSummary {
    classAp = Collections.unmodifiableMap(new TreeMap<>(classAp));
  }
}
