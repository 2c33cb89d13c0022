package dev.tessera.stages.preprocess;

import static dev.tessera.pipelines.dag.Experiment.after;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.data.ShardReader;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.exec.StageStatus;
import dev.tessera.pipelines.testing.Engine;
import dev.tessera.stages.ingest.Ingest;
import dev.tessera.transforms.sample.DType;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real MNIST through the ingest and preprocess Beam stages on the DirectRunner. */
class MnistDataIT {
  @TempDir Path dir;

  @Test
  void ingestsAndPreprocessesFullMnist() throws Exception {
    assumeTrue(System.getenv("TESSERA_DATA_MIRROR") != null,
        "TESSERA_DATA_MIRROR is not set: this test needs the MNIST files from the offline mirror");
    Experiment experiment = Experiment.named("mnist-data")
        .stage("ingest", Ingest.dataset("mnist"))
        .stage("preprocess", Preprocess.normalize(0.1307, 0.3081).resizedTo(32, 32), after("ingest"))
        .build();
    Engine engine = new Engine(dir.resolve("home"));
    engine.options = engine.options.withPipelineArgs(List.of("--runner=DirectRunner"));
    RunResult result = engine.run(experiment);
    assertEquals(RunOutcome.SUCCEEDED, result.status(), result.run().stages.toString());

    DatasetManifest raw = DatasetManifest.read(result.artifacts().get("ingest").directory());
    assertEquals(60_000, raw.splits().get("train").rows());
    assertEquals(10_000, raw.splits().get("test").rows());
    raw.requireIntact(result.artifacts().get("ingest").directory());

    Path processed = result.artifacts().get("preprocess").directory();
    DatasetManifest out = DatasetManifest.read(processed);
    assertEquals(70_000, out.totalRows());
    try (ShardReader reader = ShardReader.open(processed.resolve("train/train-00000.arrow"))) {
      Sample first = reader.samples().next();
      assertEquals("mnist/train/00000", first.id());
      assertEquals(5, first.label(), "the first MNIST training digit is a 5");
      assertEquals(DType.FLOAT32, first.dtype());
      assertEquals(Layout.CHW, first.layout());
      assertArrayEquals(new int[] {1, 32, 32}, new int[] {first.channels(), first.height(), first.width()});
      float background = (float) ((0 - 0.1307) / 0.3081);
      assertEquals(background, first.floatPixels()[0], 1e-6, "a corner pixel is background");
    }

    RunResult again = engine.run(experiment);
    assertEquals(StageStatus.CACHED, again.run().stages.get("ingest").status);
    assertEquals(StageStatus.CACHED, again.run().stages.get("preprocess").status);
  }
}
