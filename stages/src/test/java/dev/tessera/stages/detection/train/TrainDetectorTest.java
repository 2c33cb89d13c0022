package dev.tessera.stages.detection.train;

import static dev.tessera.pipelines.dag.Experiment.after;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.testing.Engine;
import dev.tessera.pipelines.testing.PythonEnv;
import dev.tessera.stages.augment.DetectionAugment;
import dev.tessera.stages.detection.model.DetectorModel;
import dev.tessera.stages.detection.model.DetectorPredictor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TrainDetector} on synthetic rectangles: the loss falls and the model directory is complete. */
class TrainDetectorTest {
  @TempDir Path dir;

  /** The source, a 64-pixel letterbox without mosaic, and a tiny detector trained for {@code epochs}. */
  static Experiment.Builder experiment(int epochs) {
    TrainDetectorSpec spec = TrainDetectorSpec.defaults(64).withEpochs(epochs).withBatchSize(8)
        .withLearningRate(0.005).withWarmupEpochs(1).withSize(0.125, 0.33).withEma(false)
        .withAugment(0, 0, false, 0);
    return Experiment.named("detector-test").seed(3)
        .stage("source", SyntheticBoxes.of(32, 8))
        .stage("augment", DetectionAugment.letterbox(64).withoutMosaic().samplesPerShard(8), after("source"))
        .stage("train-detector", new TrainDetector(spec), after("augment"));
  }

  @Test
  void lossFallsOnSyntheticRectanglesAndTheModelDirectoryIsComplete() throws Exception {
    Engine engine = new Engine(dir.resolve("home"));
    RunResult result = engine.run(experiment(12).build());
    assertEquals(RunOutcome.SUCCEEDED, result.status(), result.run().stages.toString());
    Map<String, Double> summary = result.run().stages.get("train-detector").summary;
    double first = summary.get("first_epoch_loss");
    double last = summary.get("loss");
    assertTrue(last < 0.6 * first, "loss should fall by 40%: first epoch " + first + ", last " + last);
    Path model = result.artifacts().get("train-detector").directory();
    DetectorModel info = DetectorModel.read(model);
    assertEquals(SyntheticBoxes.CLASSES, info.classNames());
    assertEquals(64, info.imageSize());
    assertEquals(3, info.config().anchors().size());
    assertTrue(Files.exists(model.resolve("detector-0012.params")), "parameters saved");
  }

  @Test
  void theModelDirectoryIsAnMlflowModelThatMlflowsOwnClientLoads() throws Exception {
    RunResult result = new Engine(dir.resolve("home")).run(experiment(1).build());
    assertEquals(RunOutcome.SUCCEEDED, result.status(), result.run().stages.toString());
    Path model = result.artifacts().get("train-detector").directory();
    Path script = Files.writeString(dir.resolve("load_mlmodel.py"), String.join("\n",
        "import json, sys",
        "from mlflow.models import Model",
        "m = Model.load(sys.argv[1])",
        "print(json.dumps({'flavors': m.flavors, 'uuid': m.model_uuid, 'created': m.utc_time_created}))"));
    String out = PythonEnv.get().run(script, List.of(model.toString()), Map.of()).strip();
    JsonNode loaded = new ObjectMapper().readTree(out.substring(out.lastIndexOf('\n') + 1));
    JsonNode djl = loaded.path("flavors").path("djl");
    assertEquals("detector-0001.params", djl.path("model_file").asText(), out);
    assertTrue(Files.isRegularFile(model.resolve(djl.path("model_file").asText())), "the flavor names a real file");
    assertEquals(DetectorModel.FILE_NAME, djl.path("metadata_file").asText(), out);
    assertEquals(DetectorPredictor.class.getName(), djl.path("loader").asText(), out);
    assertEquals("PyTorch", djl.path("engine").asText(), out);
    assertTrue(loaded.path("uuid").asText().matches("[0-9a-f]{32}"), out);
    assertTrue(loaded.path("created").asText().matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{6}"), out);
  }

  @Test
  void specRejectsAnImageSizeNotAMultipleOf32() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainDetectorSpec.defaults(100));
    assertTrue(e.getMessage().contains("train-detector.imageSize"), e.getMessage());
  }

  @Test
  void learningRateWarmsUpThenFollowsTheCosine() {
    TrainDetectorSpec spec = TrainDetectorSpec.defaults(64).withLearningRate(0.01).withWarmupEpochs(1);
    assertEquals(0.001, spec.learningRateAt(0, 100, 10), 1e-12);
    assertEquals(0.01, spec.learningRateAt(10, 100, 10), 1e-12);
    assertEquals(0.0001, spec.learningRateAt(99, 100, 10), 1e-12);
  }
}
