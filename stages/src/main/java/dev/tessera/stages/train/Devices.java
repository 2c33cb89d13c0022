package dev.tessera.stages.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves a spec's device string to DJL devices: {@code auto} (all GPUs if there are any, else the CPU),
 * {@code cpu}, {@code gpu} (GPU 0) or {@code gpus=N} (GPUs 0..N-1, data parallel).
 */
public final class Devices {
  private Devices() {}

  /**
   * What a DJL training stage records as its environment (part of its cache key): the DJL version, the engine
   * (PyTorch) and {@code device}, as a plan describes it.
   */
  public static Map<String, String> environment(String device) {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("djl", Engine.getDjlVersion());
    environment.put("engine", "PyTorch");
    environment.put("device", device);
    return environment;
  }

  /** The plan for a spec on this machine (GPU count from the default DJL engine). */
  public static DevicePlan plan(TrainSpec spec) {
    return plan(spec, Engine.getInstance().getGpuCount());
  }

  /**
   * The plan for a spec on a machine with {@code gpuCount} GPUs. Separate from {@link #plan(TrainSpec)} so the
   * GPU logic is testable on a CPU-only machine; nothing here touches a device.
   *
   * @throws IllegalArgumentException when GPUs are requested but the machine has fewer
   */
  public static DevicePlan plan(TrainSpec spec, int gpuCount) {
    List<Device> devices = resolve(spec.device(), gpuCount);
    int n = devices.size();
    int effectiveBatch = spec.batchSize() * n;
    return new DevicePlan(
        spec.device(), devices, spec.batchSize(), effectiveBatch, spec.optimizer().learningRate(),
        spec.optimizer().scaledLearningRate(spec.batchSize(), effectiveBatch));
  }

  /** The devices for a device string on a machine with {@code gpuCount} GPUs. */
  public static List<Device> resolve(String device, int gpuCount) {
    if (device == null || !TrainSpec.DEVICE.matcher(device).matches()) {
      throw new IllegalArgumentException(
          "train.device must be one of auto, cpu, gpu, gpus=N (N >= 1), but was '" + device + "'");
    }
    if (device.equals("cpu") || (device.equals("auto") && gpuCount == 0)) {
      return List.of(Device.cpu());
    }
    int wanted = switch (device) {
      case "auto" -> gpuCount;
      case "gpu" -> 1;
      default -> Integer.parseInt(device.substring("gpus=".length()));
    };
    if (wanted > gpuCount) {
      throw new IllegalArgumentException(
          "train.device is '" + device + "', which needs " + wanted + " GPU(s), but DJL's "
              + Engine.getDefaultEngineName() + " engine sees " + gpuCount
              + ". Use device 'auto' or 'cpu', or install the CUDA build of the engine (pytorch-native-cu*).");
    }
    List<Device> devices = new ArrayList<>(wanted);
    for (int i = 0; i < wanted; i++) {
      devices.add(Device.gpu(i));
    }
    return List.copyOf(devices);
  }
}
