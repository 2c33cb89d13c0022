package dev.tessera.stages.train;

/**
 * Provenance of a saved classifier, written as {@code tessera-model.json} next to the DJL parameters: enough to
 * rebuild the network ({@code spec.model}) and to tell how it was trained.
 *
 * @param format the file format, {@link #FORMAT}
 * @param modelName the DJL model name, the prefix of the params file
 * @param paramsFile the DJL params file in the directory, such as {@code model-0003.params}
 * @param spec the training spec (its {@code model} says architecture, input shape CHW and classes)
 * @param seed the seed training ran with
 * @param epochs epochs trained
 * @param steps optimizer steps taken
 * @param devices the resolved devices, as {@link DevicePlan#describe()}
 * @param djlVersion DJL's version, such as 0.35.1
 * @param engine the DJL engine, such as PyTorch
 * @param engineVersion the engine's version, such as 2.7.1
 * @param javaVersion the JVM's version
 * @param modelUuid 32 hex digits, also in the MLflow {@code MLmodel} file
 * @param createdUtc creation time, ISO-8601 UTC
 * @param weightsEpoch the epoch (1-based) whose weights the params file holds: the last, or the best by validation
 * @param emaParamsFile the params file of the EMA weights (DJL model name {@code ema}), or null without EMA
 */
public record ModelMetadata(
    String format,
    String modelName,
    String paramsFile,
    TrainSpec spec,
    long seed,
    int epochs,
    long steps,
    String devices,
    String djlVersion,
    String engine,
    String engineVersion,
    String javaVersion,
    String modelUuid,
    String createdUtc,
    int weightsEpoch,
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    String emaParamsFile) {

  /** The value of {@code format} this code writes and reads. */
  public static final String FORMAT = "tessera-classifier/1";

  /** The file name of the metadata in a model directory. */
  public static final String FILE_NAME = "tessera-model.json";

  /** The DJL model name the trainer saves under: params are {@code model-NNNN.params}. */
  public static final String MODEL_NAME = "model";
}
