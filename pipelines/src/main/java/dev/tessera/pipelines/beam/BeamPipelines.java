package dev.tessera.pipelines.beam;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Pipelines for stages, from the run's pipeline arguments ({@code --runner=...}). */
public final class BeamPipelines {
  private BeamPipelines() {}

  /**
   * Options for a real run: the given arguments, with the DirectRunner's per-element immutability and
   * encodability checks off unless the arguments set them (they cost 2-3x; unit tests keep them on through
   * {@code TestPipeline}).
   */
  public static PipelineOptions options(List<String> args) {
    List<String> all = new ArrayList<>(args);
    if (all.stream().noneMatch(a -> a.startsWith("--enforceImmutability"))) {
      all.add("--enforceImmutability=false");
    }
    if (all.stream().noneMatch(a -> a.startsWith("--enforceEncodability"))) {
      all.add("--enforceEncodability=false");
    }
    return PipelineOptionsFactory.fromArgs(all.toArray(String[]::new)).withValidation().create();
  }

  /** A new pipeline with {@link #options(List)}. */
  public static Pipeline create(List<String> args) {
    return Pipeline.create(options(args));
  }

  /** Runs a pipeline to completion and fails unless it finished successfully. */
  public static void runToCompletion(Pipeline pipeline, String what) {
    PipelineResult.State state = pipeline.run().waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException(what + ": the Beam pipeline ended in state " + state + ", not DONE");
    }
  }
}
