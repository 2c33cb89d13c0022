package dev.tessera.stages.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.spec.Overrides;
import dev.tessera.pipelines.spec.SpecException;
import dev.tessera.pipelines.spec.SpecOverride;
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
    assertEquals("train.optimizer.learningRate must be in (0, 10], but was -0.1",
        message(() -> BASE.withLearningRate(-0.1)));
    assertEquals("train.optimizer.learningRate must be in (0, 10], but was NaN",
        message(() -> BASE.withLearningRate(Double.NaN)));
    assertEquals("train.optimizer.momentum must be in [0, 1), but was 1.0", message(() -> BASE.withSgd(1.0)));
    assertEquals("train.optimizer.momentum must be 0 with optimizer ADAMW (Adam has its own betas), but was 0.9; "
            + "use kind SGD or RMSPROP for momentum",
        message(() -> new OptimizerSpec(OptimizerKind.ADAMW, 1e-3, 0.9, false, 0, 0, LrScaling.LINEAR, 0)));
    assertEquals("train.optimizer.nesterov needs kind SGD with momentum > 0, but kind was SGD and momentum 0.0",
        message(() -> OptimizerSpec.sgd(0.1, 0).withNesterov(true)));
    assertEquals("train.optimizer.clipGradNorm must be > 0, or 0 for no clipping, but was -1.0",
        message(() -> OptimizerSpec.adam(1e-3).withClipGradNorm(-1)));
    assertEquals("train.optimizer.weightDecay must be in [0, 1), but was 1.5",
        message(() -> OptimizerSpec.adam(1e-3).withWeightDecay(1.5)));
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
  void rejectsAScheduleThatDoesNotFitTheRun() {
    assertEquals("train.schedule.warmupEpochs must be shorter than the run (train.epochs = 10), but was 12.0; "
            + "shorten the warm-up or train longer",
        message(() -> BASE.withSchedule(ScheduleSpec.cosine().withWarmupEpochs(12))));
    assertEquals("train.schedule.milestones must be epoch counts in [1, 9] (below train.epochs = 10), but was "
            + "[5, 10]", message(() -> BASE.withSchedule(ScheduleSpec.multiStep(0.1, 5, 10))));
    assertEquals("train.schedule.milestones must be ascending epoch counts >= 1, but was [5, 3]",
        message(() -> ScheduleSpec.multiStep(0.1, 5, 3)));
    assertEquals("train.schedule.milestones must list at least one epoch for kind MULTI_STEP, but was []; for "
        + "example [5]", message(() -> BASE.withSchedule(ScheduleSpec.multiStep(0.1))));
  }

  @Test
  void nestedSettingsTakeOverridesByPathAndNameWhatIsAllowed() {
    TrainSpec spec = Overrides.apply(BASE, SpecOverride.parseAll(List.of("train.schedule.kind=cosine",
        "train.schedule.warmupEpochs=1", "train.optimizer.kind=sgd", "train.optimizer.momentum=0.9",
        "train.optimizer.nesterov=true", "train.optimizer.clipGradNorm=5", "train.checkpoint.everySteps=100")));
    assertEquals(ScheduleSpec.cosine().withWarmupEpochs(1), spec.schedule());
    assertEquals(OptimizerSpec.sgd(1e-3, 0.9).withNesterov(true).withClipGradNorm(5), spec.optimizer());
    assertEquals(new CheckpointSpec(1, 100, 2), spec.checkpoint());

    SpecException unknown = assertThrows(SpecException.class, () -> Overrides.apply(BASE,
        SpecOverride.parseAll(List.of("train.optimizer.kind=lamb"))));
    assertEquals("--set train.optimizer.kind=lamb: train.optimizer.kind expects one of [SGD, ADAM, ADAMW, RMSPROP], "
        + "but was 'lamb'.", unknown.getMessage());
    SpecException warmup = assertThrows(SpecException.class, () -> Overrides.apply(BASE,
        SpecOverride.parseAll(List.of("train.schedule.warmupEpochs=10"))));
    assertEquals("--set train.schedule.warmupEpochs=10: train.schedule.warmupEpochs must be shorter than the run "
        + "(train.epochs = 10), but was 10.0; shorten the warm-up or train longer", warmup.getMessage());
  }

  @Test
  void rejectsInvalidModelSpecs() {
    assertEquals(
        "model.height x model.width must be 28x28 or 32x32 for lenet, but was 64x64"
            + " (resize the images in preprocessing, or use mlp)",
        message(() -> BASE.withModel(Models.lenet().withInput(1, 64, 64))));
    assertEquals("model.architecture must be one of [alexnet-small, lenet, mlp, resnet18, resnet20, resnet56, "
            + "unet, vgg11, vgg16], but was 'resnet-9000' (a model of your own needs its ModelFactory registered "
            + "in META-INF/services/dev.tessera.stages.train.ModelFactory)",
        message(() -> new ModelSpec("resnet-9000", 1, 28, 28, 10, List.of())));
    assertEquals("train.loss must be one of [bce-dice, binary-cross-entropy, cross-entropy, cross-entropy-smooth-0.1, "
            + "dice, focal], but was 'hinge' (a loss of your own needs its LossFactory registered "
            + "in META-INF/services/dev.tessera.stages.train.LossFactory)",
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
            + "\"hidden\":[128,64]},\"epochs\":10,\"batchSize\":128,\"optimizer\":{\"kind\":\"SGD\",\"learningRate\":0.001,"
            + "\"momentum\":0.9,\"nesterov\":false,\"weightDecay\":0.0,\"clipGradNorm\":0.0,\"lrScaling\":\"LINEAR\","
            + "\"baseBatchSize\":0},\"schedule\":{\"kind\":\"CONSTANT\",\"warmupEpochs\":0.0,\"startFactor\":0.1,"
            + "\"stepEpochs\":1,\"milestones\":[],\"gamma\":0.1,\"finalFactor\":0.01,\"power\":1.0,"
            + "\"peakFraction\":0.3},\"device\":\"gpus=2\",\"prefetchBatches\":4,\"logEverySteps\":50,\"seed\":null,"
            + "\"shuffleBlockRows\":1,\"loss\":\"cross-entropy\",\"checkpoint\":{\"everyEpochs\":1,"
            + "\"everySteps\":0,\"keepLast\":2},\"validation\":{\"split\":\"\",\"holdoutFraction\":0.0},"
            + "\"earlyStopping\":{\"monitor\":\"LOSS\",\"patience\":0,\"minDelta\":0.0,\"output\":\"BEST\"},"
            + "\"ema\":{\"enabled\":false,\"decay\":0.9999,\"warmupUpdates\":2000}}",
        text);
    assertEquals(List.of(128, 64), json.readValue(text, TrainSpec.class).model().hidden());
  }

  @Test
  void refusesALossThatCannotScoreAPerPixelModel() {
    TrainSpec unet = TrainSpec.defaults(Models.unet(2, 8).withInput(3, 16, 16))
        .withOnline(OnlineSpec.resizeNormalize(16, 16, 0.5, 0.25));
    String message = message(() -> unet.withLoss("cross-entropy"));
    org.junit.jupiter.api.Assertions.assertTrue(message.startsWith("train.loss 'cross-entropy' cannot score the "
        + "per-pixel logits of train.model unet; choose one of ["), message);
    org.junit.jupiter.api.Assertions.assertTrue(message.contains("bce-dice") && !message.contains("'cross-entropy,"),
        message);
    assertEquals("bce-dice", unet.withLoss("bce-dice").loss());
  }
}
