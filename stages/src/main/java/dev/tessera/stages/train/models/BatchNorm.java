package dev.tessera.stages.train.models;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Batch norm over the channel axis (axis 1: NC, NCHW, NCDHW input) that calls libtorch's {@code batch_norm} directly,
 * with the values of DJL's {@link ai.djl.nn.norm.BatchNorm} (same defaults: epsilon 1e-5, momentum 0.9).
 *
 * <p>Why not DJL's block: for any axis but -1, DJL 0.35.1's PyTorch engine wraps the op in a sub-manager and swaps the
 * channel axis with axis 1 and back, even when they are the same axis: two no-op {@code transpose}s forward, two
 * {@code TransposeBackward} nodes backward, and four Java arrays per call. libtorch's op already normalises over
 * axis 1, so this block hands it the input as it is (on another engine it falls back to DJL's own batch norm).
 *
 * <p>Same parameters (gamma, beta, running mean, running variance; initialised, trained and saved as DJL's), same
 * saved format (encoding version 2, input shapes, channel count, then the four parameters), and the same simple
 * class name, so the parameter names a {@code SequentialBlock} derives from it ({@code 01BatchNorm_gamma}) are
 * DJL's: model files saved with DJL's block load into this one and back.
 */
public final class BatchNorm extends AbstractBlock {
  private static final byte VERSION = 2;
  private static final float EPSILON = 1e-5f;
  private static final float MOMENTUM = 0.9f;

  private final float epsilon;
  private final float momentum;
  private long channels;
  private final Parameter gamma;
  private final Parameter beta;
  private final Parameter runningMean;
  private final Parameter runningVar;

  /** Batch norm over axis 1 with a learned scale and offset, epsilon 1e-5 and running-statistics momentum 0.9. */
  public BatchNorm() {
    this(EPSILON, MOMENTUM);
  }

  /**
   * Batch norm over axis 1 with a learned scale and offset.
   *
   * @param epsilon added to the variance, > 0 (DJL's {@code optEpsilon})
   * @param momentum the running statistics' weight kept at each step, in [0, 1) (DJL's {@code optMomentum})
   */
  public BatchNorm(float epsilon, float momentum) {
    super(VERSION);
    if (!(epsilon > 0) || !(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("batch norm needs epsilon > 0 and momentum in [0, 1), but got epsilon "
          + epsilon + " and momentum " + momentum);
    }
    this.epsilon = epsilon;
    this.momentum = momentum;
    gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
        .optRequiresGrad(true).build());
    beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
        .optRequiresGrad(true).build());
    runningMean = addParameter(Parameter.builder().setName("runningMean").setType(Parameter.Type.RUNNING_MEAN)
        .optRequiresGrad(false).build());
    runningVar = addParameter(Parameter.builder().setName("runningVar").setType(Parameter.Type.RUNNING_VAR)
        .optRequiresGrad(false).build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray input = inputs.singletonOrThrow();
    Device device = input.getDevice();
    NDArray gammaValue = store.getValue(gamma, device, training);
    NDArray betaValue = store.getValue(beta, device, training);
    NDArray meanValue = store.getValue(runningMean, device, training);
    NDArray varValue = store.getValue(runningVar, device, training);
    if (input instanceof PtNDArray pt && input.getShape().dimension() >= 2) {
      PtNDManager manager = pt.getManager();
      // libtorch's momentum weighs the new batch statistics; DJL's (0.9) weighs the running ones.
      return new NDList(JniUtils.batchNorm(pt, manager.from(meanValue), manager.from(varValue),
          manager.from(gammaValue), manager.from(betaValue), training, (double) (1f - momentum), epsilon));
    }
    return ai.djl.nn.norm.BatchNorm.batchNorm(
        input, meanValue, varValue, gammaValue, betaValue, 1, momentum, epsilon, training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void beforeInitialize(Shape... inputShapes) {
    super.beforeInitialize(inputShapes);
    if (inputShapes[0].dimension() < 2) {
      throw new IllegalArgumentException("batch norm needs input with channels on axis 1 (NC, NCHW), but the input"
          + " shape was " + inputShapes[0] + "; place it after a convolution or a linear layer");
    }
    channels = inputShapes[0].get(1);
  }

  @Override
  public void prepare(Shape[] inputShapes) {
    Shape shape = new Shape(channels);
    gamma.setShape(shape);
    beta.setShape(shape);
    runningMean.setShape(shape);
    runningVar.setShape(shape);
  }

  @Override
  protected void saveMetadata(DataOutputStream os) throws IOException {
    saveInputShapes(os);
    os.writeLong(channels);
  }

  @Override
  public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
    if (loadVersion == VERSION) {
      readInputShapes(is);
    } else if (loadVersion != 1) {
      throw new MalformedModelException("batch norm parameters have encoding version " + loadVersion
          + ", but only versions 1 and 2 (DJL's) are readable; save the model again with this version");
    }
    channels = is.readLong();
  }
}
