package dev.tessera.stages.ingest;

import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageResult;
import dev.tessera.pipelines.testing.MotoServer;
import java.util.List;

/**
 * {@link Ingest} for tests whose storage server goes away once the stage starts: the bucket passed the check
 * before the first stage, and then the workers cannot reach it, as workers on a machine without a route to it.
 */
record CutOffIngest(Ingest ingest, MotoServer server) implements Stage<IngestSpec> {
  @Override
  public IngestSpec spec() {
    return ingest.spec();
  }

  @Override
  public Stage<IngestSpec> withSpec(IngestSpec spec) {
    return new CutOffIngest(new Ingest(spec), server);
  }

  @Override
  public List<ArtifactKind> inputs() {
    return ingest.inputs();
  }

  @Override
  public ArtifactKind output() {
    return ingest.output();
  }

  @Override
  public List<String> externalData() {
    return ingest.externalData();
  }

  @Override
  public StageResult run(StageContext context) throws Exception {
    server.close();
    return ingest.run(context);
  }
}
