package dev.tessera.stages.preprocess;

import dev.tessera.pipelines.beam.BeamPipelines;
import dev.tessera.pipelines.beam.MapShards;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageResult;
import dev.tessera.pipelines.dag.StageSpec;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.data.Locations;
import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardWriter;
import dev.tessera.pipelines.data.ShardWriterSettings;
import dev.tessera.transforms.sample.SampleFunction;
import java.util.List;
import org.apache.beam.sdk.Pipeline;

/**
 * A preprocess-like stage for tests whose Beam workers fail part-way: one shard is finished in the stage's
 * output location first (as a worker that got there sooner), then the pipeline fails on sample
 * {@code synthetic/train/00015}, so the attempt dies with files already uploaded.
 */
record FailingPreprocess(Spec spec) implements Stage<FailingPreprocess.Spec> {
  /** No settings. */
  record Spec() implements StageSpec {}

  FailingPreprocess() {
    this(new Spec());
  }

  @Override
  public Stage<Spec> withSpec(Spec newSpec) {
    return new FailingPreprocess(newSpec);
  }

  @Override
  public List<ArtifactKind> inputs() {
    return List.of(ArtifactKind.DATASET);
  }

  @Override
  public ArtifactKind output() {
    return ArtifactKind.DATASET;
  }

  @Override
  public StageResult run(StageContext context) throws Exception {
    String input = context.inputLocation(ArtifactKind.DATASET);
    String output = context.outputLocation();
    Pipeline pipeline = BeamPipelines.create(context.pipelineArgs());
    DatasetManifest in = DatasetManifest.read(input);
    ShardWriterSettings settings = ShardWriterSettings.of(in.dataset(), in.classes());
    try (ShardWriter early = ShardWriter.create(Locations.resolve(output, "early.arrow"), settings, null)) {
      early.finish();
    }
    SampleFunction failing = sample -> {
      if (sample.id().equals("synthetic/train/00015")) {
        throw new IllegalStateException("this test's worker fails on " + sample.id());
      }
      return sample;
    };
    pipeline.apply("Fail", MapShards.of(input, output, in.shards().stream().map(ShardInfo::file).toList(), failing,
        settings));
    BeamPipelines.runToCompletion(pipeline, "failing preprocess");
    throw new AssertionError("the pipeline should have failed");
  }
}
