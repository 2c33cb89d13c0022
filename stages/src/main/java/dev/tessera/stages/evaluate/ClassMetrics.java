package dev.tessera.stages.evaluate;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Precision, recall and F1 of one class, scikit-learn style with {@code zero_division=0}.
 *
 * @param classIndex the class index (JSON: {@code class})
 * @param name the class name
 * @param precision true positives / predicted as this class; 0 when nothing was predicted as it
 * @param recall true positives / support; 0 when the class has no samples
 * @param f1 {@code 2 tp / (2 tp + fp + fn)}, the harmonic mean of precision and recall; 0 when all are 0
 * @param support samples whose actual class is this one
 */
@JsonPropertyOrder({"class", "name", "precision", "recall", "f1", "support"})
public record ClassMetrics(
    @JsonProperty("class") int classIndex,
    String name,
    double precision,
    double recall,
    double f1,
    long support) {}
