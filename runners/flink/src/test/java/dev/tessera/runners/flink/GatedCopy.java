package dev.tessera.runners.flink;

import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.beam.BeamPipelines;
import dev.tessera.pipelines.beam.MapShards;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageResult;
import dev.tessera.pipelines.dag.StageSpec;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardOutputs;
import dev.tessera.pipelines.data.ShardWriterSettings;
import dev.tessera.transforms.sample.Sample;
import dev.tessera.transforms.sample.SampleFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;

/**
 * A Beam stage for worker-loss tests: copies every shard unchanged, but each worker first waits at a gate, a folder
 * on the machine's disk that every worker of a local cluster sees. A worker that reaches the gate writes
 * {@code entered-<its pid>} there and waits until {@code open} exists; so a test knows which worker process holds
 * the job, can kill it mid-job, and then lets the others go on.
 *
 * @param spec where the gate is
 */
record GatedCopy(Spec spec) implements Stage<GatedCopy.Spec> {
  /** @param gate the gate folder, shared by the workers */
  record Spec(String gate) implements StageSpec {}

  @Override
  public Stage<Spec> withSpec(Spec newSpec) {
    return new GatedCopy(newSpec);
  }

  @Override
  public String kind() {
    return "gated-copy";
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
    Artifact input = context.input(ArtifactKind.DATASET);
    DatasetManifest in = DatasetManifest.read(input.directory());
    List<String> shards = in.shards().stream().map(ShardInfo::file).toList();
    Pipeline pipeline = BeamPipelines.create(context.pipelineArgs());
    pipeline.apply("GatedCopy", MapShards.of(input.directory(), context.outputDirectory(), shards,
        new Gate(spec.gate()), ShardWriterSettings.of(in.dataset(), in.classes())));
    BeamPipelines.runToCompletion(pipeline, "gated-copy");
    DatasetManifest out = ShardOutputs.collect(context.outputDirectory(), in.dataset(), in.classes());
    return StageResult.of(out.totalRows());
  }

  /** Waits at the gate, then returns the sample unchanged. */
  private record Gate(String folder) implements SampleFunction {
    @Override
    public Sample apply(Sample sample) {
      Path gate = Path.of(folder);
      try {
        Files.createDirectories(gate);
        Path entered = gate.resolve("entered-" + ProcessHandle.current().pid());
        if (!Files.exists(entered)) {
          Files.writeString(entered, sample.id());
        }
        while (!Files.exists(gate.resolve("open"))) {
          Thread.sleep(50); // polling a file the test creates; not a timing assumption
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted at the gate " + gate, e);
      }
      return sample;
    }
  }
}
