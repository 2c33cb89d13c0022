package dev.tessera.stages.train.models;

import ai.djl.basicmodelzoo.basic.Mlp;
import ai.djl.nn.Block;
import dev.tessera.stages.train.ModelFactory;
import dev.tessera.stages.train.ModelSpec;

/** A multi-layer perceptron ({@code mlp}) over the flattened image: the spec's hidden widths, ReLU between. */
public final class MultiLayerPerceptron implements ModelFactory {
  /** The registry name. */
  public static final String NAME = "mlp";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "multi-layer perceptron over the flattened image (model.hidden widths, ReLU)";
  }

  @Override
  public void check(ModelSpec spec) {
    // Any input shape and any hidden widths (checked by ModelSpec) work.
  }

  @Override
  public Block newBlock(ModelSpec spec) {
    return new Mlp(spec.sampleSize(), spec.classes(), spec.hidden().stream().mapToInt(Integer::intValue).toArray());
  }
}
