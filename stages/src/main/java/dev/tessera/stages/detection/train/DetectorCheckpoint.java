package dev.tessera.stages.detection.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.tessera.stages.train.Checkpoints;
import dev.tessera.stages.train.internal.CheckpointStore;
import dev.tessera.stages.train.internal.StatefulOptimizer;
import dev.tessera.stages.train.internal.TrainingState;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The detector's full training state at an epoch boundary, kept in the train stage's {@link CheckpointStore}
 * (atomic folders, SHA-256 verified, a corrupt newest one passed over for the one before, the newest
 * {@link #KEEP} kept): the parameters (batch-norm statistics included) as {@code param/<name>}, the AdamW moments
 * and update count ({@link StatefulOptimizer}), the EMA as {@code ema/<name>}, and the loss history and the
 * training seconds spent (for a time budget) as {@code detector/history} and {@code detector/seconds}. Batches and
 * their augmentation are pure functions of (seed, epoch), so nothing else is needed to continue exactly.
 */
final class DetectorCheckpoint {
  /** Checkpoints kept. */
  static final int KEEP = 2;
  private static final String PARAM = "param/";
  private static final String OPTIMIZER = "optimizer/";
  private static final String EMA = "ema/";
  private static final String HISTORY = "detector/history";
  private static final String SECONDS = "detector/seconds";

  private final CheckpointStore store;

  private DetectorCheckpoint(CheckpointStore store) {
    this.store = store;
  }

  /** The store for {@code checkpoints}, or empty when checkpoints are off ({@code null}). */
  static Optional<DetectorCheckpoint> open(Checkpoints checkpoints, Consumer<String> log) throws IOException {
    if (checkpoints == null) {
      return Optional.empty();
    }
    return Optional.of(new DetectorCheckpoint(new CheckpointStore(checkpoints.directory(),
        checkpoints.fingerprint(), KEEP, log)));
  }

  /** Where training stood: epochs done, optimizer steps, loss history and seconds spent. */
  record Position(int epochs, long steps, List<EpochLoss> history, double seconds) {}

  /** Writes the state after {@code position.epochs()} finished epochs. */
  void save(long seed, Position position, Block net, StatefulOptimizer optimizer, List<NDArray> ema,
      NDManager manager) throws IOException {
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    List<Pair<String, Parameter>> parameters = net.getParameters().stream().toList();
    for (int i = 0; i < parameters.size(); i++) {
      tensors.put(PARAM + parameters.get(i).getKey(), parameters.get(i).getValue().getArray());
      if (ema != null) {
        tensors.put(EMA + parameters.get(i).getKey(), ema.get(i));
      }
    }
    optimizer.state().forEach((key, value) -> tensors.put(OPTIMIZER + key, value));
    try (NDManager scratch = manager.newSubManager()) {
      float[] rows = new float[position.history().size() * 6];
      for (int i = 0; i < position.history().size(); i++) {
        EpochLoss e = position.history().get(i);
        double[] values = {e.epoch(), e.loss(), e.box(), e.objectness(), e.classes(), e.seconds()};
        for (int j = 0; j < 6; j++) {
          rows[i * 6 + j] = (float) values[j];
        }
      }
      tensors.put(HISTORY, scratch.create(rows, new Shape(position.history().size(), 6)));
      tensors.put(SECONDS, scratch.create(new double[] {position.seconds()}));
      store.save(new TrainingState(TrainingState.FORMAT, null, null, seed, position.epochs(), 0, position.steps(),
          null, List.of(), TrainingState.Best.none(), false, null, Instant.now().toString()), tensors);
    }
  }

  /**
   * Restores the newest valid checkpoint into {@code net}, {@code optimizer} and {@code ema}; returns where it
   * stood, or empty when there is none to continue from.
   */
  Optional<Position> restore(Block net, StatefulOptimizer optimizer, List<NDArray> ema, NDManager manager)
      throws IOException {
    Optional<CheckpointStore.Loaded> found = store.newest(null, manager);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Map<String, NDArray> tensors = found.get().tensors();
    List<Pair<String, Parameter>> parameters = net.getParameters().stream().toList();
    for (int i = 0; i < parameters.size(); i++) {
      String name = parameters.get(i).getKey();
      parameters.get(i).getValue().getArray().set(required(tensors, PARAM + name, found.get()).toFloatArray());
      if (ema != null) {
        ema.get(i).set(required(tensors, EMA + name, found.get()).toFloatArray());
      }
    }
    Map<String, NDArray> moments = new LinkedHashMap<>();
    tensors.forEach((key, value) -> {
      if (key.startsWith(OPTIMIZER)) {
        moments.put(key.substring(OPTIMIZER.length()), value);
      }
    });
    TrainingState state = found.get().state();
    optimizer.restore(state.step(), moments);
    float[] rows = required(tensors, HISTORY, found.get()).toFloatArray();
    List<EpochLoss> history = new ArrayList<>();
    for (int i = 0; i + 5 < rows.length; i += 6) {
      history.add(new EpochLoss((int) rows[i], rows[i + 1], rows[i + 2], rows[i + 3], rows[i + 4], rows[i + 5]));
    }
    double seconds = required(tensors, SECONDS, found.get()).toDoubleArray()[0];
    return Optional.of(new Position(state.epoch(), state.step(), history, seconds));
  }

  private NDArray required(Map<String, NDArray> tensors, String key, CheckpointStore.Loaded from) {
    NDArray value = tensors.get(key);
    if (value == null) {
      throw new IllegalStateException("Checkpoint " + from.path() + " has no '" + key + "'; it was written by "
          + "another version or shape of the detector. Delete " + store.directory() + " to start afresh.");
    }
    return value;
  }
}
