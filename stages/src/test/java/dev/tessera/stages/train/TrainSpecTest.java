package dev.tessera.stages.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class TrainSpecTest {
  private static final TrainSpec BASE = TrainSpec.defaults(Models.lenet());

  private static String message(Executable executable) {
    return assertThrows(IllegalArgumentException.class, executable).getMessage();
  }

  @Test
  void rejectsInvalidValuesNamingParameterValueAndRange() {
    assertEquals("train.epochs must be >= 1, but was 0", message(() -> BASE.withEpochs(0)));
    assertEquals("train.batchSize must be in [1, 65536], but was 0", message(() -> BASE.withBatchSize(0)));
    assertEquals(
        "train.learningRate must be in (0, 10], but was -0.1", message(() -> BASE.withLearningRate(-0.1)));
    assertEquals(
        "train.learningRate must be in (0, 10], but was NaN", message(() -> BASE.withLearningRate(Double.NaN)));
    assertEquals("train.momentum must be in [0, 1), but was 1.0", message(() -> BASE.withSgd(1.0)));
    assertEquals(
        "train.momentum must be 0 with optimizer ADAM (Adam has its own betas), but was 0.9",
        message(() -> new TrainSpec(Models.lenet(), 1, 1, 1e-3, OptimizerKind.ADAM, 0.9, "cpu", 0, 1, 42L,
            LrSchedule.CONSTANT, null, 1, "cross-entropy", null)));
    assertEquals(
        "train.device must be one of auto, cpu, gpu, gpus=N (N >= 1), but was 'gpus=0'",
        message(() -> BASE.withDevice("gpus=0")));
    assertEquals(
        "train.device must be one of auto, cpu, gpu, gpus=N (N >= 1), but was 'cuda'",
        message(() -> BASE.withDevice("cuda")));
    assertEquals(
        "train.prefetchBatches must be in [0, 1024], but was -1", message(() -> BASE.withPrefetchBatches(-1)));
    assertEquals("train.logEverySteps must be >= 1, but was 0", message(() -> BASE.withLogEverySteps(0)));
    assertEquals("train.shuffleBlockRows must be in [1, 65536] (1 shuffles single rows), but was 0",
        message(() -> BASE.withShuffleBlockRows(0)));
  }

  @Test
  void rejectsInvalidModelSpecs() {
    assertEquals(
        "model.height x model.width must be 28x28 or 32x32 for lenet, but was 64x64"
            + " (resize the images in preprocessing, or use mlp)",
        message(() -> BASE.withModel(Models.lenet().withInput(1, 64, 64))));
    assertEquals("model.architecture must be one of [lenet, mlp], but was 'resnet-9000' (a model of your own needs"
            + " its ModelFactory registered in META-INF/services/dev.tessera.stages.train.ModelFactory)",
        message(() -> new ModelSpec("resnet-9000", 1, 28, 28, 10, List.of())));
    assertEquals("train.loss must be one of [cross-entropy], but was 'hinge' (a loss of your own needs its "
            + "LossFactory registered in META-INF/services/dev.tessera.stages.train.LossFactory)",
        message(() -> BASE.withLoss("hinge")));
    assertEquals("model.classes must be >= 2, but was 1", message(() -> Models.lenet().withClasses(1)));
    assertEquals("model.hidden[1] must be >= 1, but was 0", message(() -> Models.mlp(8, 0)));
  }

  @Test
  void roundTripsThroughJacksonAsAPlainRecord() throws Exception {
    ObjectMapper json = new ObjectMapper();
    TrainSpec spec = BASE.withModel(Models.mlp(128, 64).withInput(3, 32, 32).withClasses(5)).withSgd(0.9)
        .withDevice("gpus=2");
    String text = json.writeValueAsString(spec);
    assertEquals(spec, json.readValue(text, TrainSpec.class));
    assertEquals(
        "{\"model\":{\"architecture\":\"mlp\",\"channels\":3,\"height\":32,\"width\":32,\"classes\":5,"
            + "\"hidden\":[128,64]},\"epochs\":10,\"batchSize\":128,\"learningRate\":0.001,\"optimizer\":\"SGD\","
            + "\"momentum\":0.9,\"device\":\"gpus=2\",\"prefetchBatches\":4,\"logEverySteps\":50,\"seed\":null,"
            + "\"schedule\":\"CONSTANT\",\"shuffleBlockRows\":1,\"loss\":\"cross-entropy\",\"checkpoint\":{\"everyEpochs\":1,\"everySteps\":0,\"keepLast\":2}}",
        text);
    assertEquals(List.of(128, 64), json.readValue(text, TrainSpec.class).model().hidden());
  }
}
