package dev.tessera.stages.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The device logic, run with pretend GPU counts: nothing here touches a GPU except the tagged test. */
class DevicesTest {
  private static final TrainSpec SPEC = TrainSpec.defaults(Models.lenet()).withBatchSize(128).withLearningRate(0.001);

  @Test
  void autoUsesTheCpuWithoutGpusAndAllGpusOtherwise() {
    assertEquals(List.of(Device.cpu()), Devices.plan(SPEC, 0).devices());
    assertEquals(List.of(Device.gpu(0), Device.gpu(1)), Devices.plan(SPEC, 2).devices());
  }

  @Test
  void cpuAndGpuPickOneDevice() {
    assertEquals(List.of(Device.cpu()), Devices.plan(SPEC.withDevice("cpu"), 4).devices());
    assertEquals(List.of(Device.gpu(0)), Devices.plan(SPEC.withDevice("gpu"), 4).devices());
  }

  @Test
  void gpusNScalesBatchAndLearningRateLinearly() {
    DevicePlan plan = Devices.plan(SPEC.withDevice("gpus=2"), 4);
    assertEquals(List.of(Device.gpu(0), Device.gpu(1)), plan.devices());
    assertEquals(128, plan.perDeviceBatchSize());
    assertEquals(256, plan.effectiveBatchSize());
    assertEquals(0.002, plan.effectiveLearningRate(), 1e-15);
    assertEquals("gpus=2 -> [gpu(0), gpu(1)], batch 2x128=256, lr 0.001->0.002", plan.describe());
  }

  @Test
  void failsClearlyWhenGpusAreRequestedButAbsent() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Devices.plan(SPEC.withDevice("gpus=2"), 0));
    assertEquals(
        "train.device is 'gpus=2', which needs 2 GPU(s), but DJL's PyTorch engine sees 0. Use device 'auto' or"
            + " 'cpu', or install the CUDA build of the engine (pytorch-native-cu*).",
        e.getMessage());
  }

  @Test
  void thisMachinesPlanMatchesItsGpuCount() {
    int gpus = Engine.getInstance().getGpuCount();
    assertEquals(Math.max(1, gpus), Devices.plan(SPEC).devices().size());
  }

  @Test
  @Tag("gpu")
  void trainsOnTheFirstGpu() throws Exception {
    assumeTrue(Engine.getInstance().getGpuCount() > 0, "no GPU visible to DJL's PyTorch engine on this machine");
    SyntheticImages data = SyntheticImages.quadrants(16, 28, 1);
    TrainSpec spec = TrainSpec.defaults(Models.lenet().withClasses(4)).withEpochs(1).withBatchSize(16)
        .withDevice("gpu");
    TrainingResult result = ClassifierTrainer.train(
        spec, 1, new ArrayBatchSource(data.images, data.labels, 16, 1, true), null, TrainingCallbacks.none(),
        java.nio.file.Files.createTempDirectory("tessera-gpu"));
    assertEquals(List.of(Device.gpu(0)), result.plan().devices());
  }
}
