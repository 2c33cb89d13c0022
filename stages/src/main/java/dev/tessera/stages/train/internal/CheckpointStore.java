package dev.tessera.stages.train.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tessera.pipelines.artifact.Digests;
import dev.tessera.stages.train.ModelSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A folder of checkpoints, one sub-folder each: {@code ckpt-<step>-<epoch>-<batch>/} holding {@code tensors.bin}
 * ({@link TensorFile}: model parameters as {@code param/<name>}, optimizer state as {@code optimizer/...}, EMA
 * weights as {@code ema/<name>}) and {@code state.json} ({@link TrainingState}, with the SHA-256 of the tensors).
 * Each is written into a temporary folder and renamed into place, so a crash never leaves half a checkpoint under a
 * real name; the newest {@code keep} are kept.
 */
public final class CheckpointStore {
  /** The tensor file of a checkpoint. */
  public static final String TENSORS = "tensors.bin";
  /** The state file of a checkpoint. */
  public static final String STATE = "state.json";

  private static final Pattern NAME = Pattern.compile("ckpt-\\d{12}-\\d{6}-\\d{10}");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path directory;
  private final String fingerprint;
  private final int keep;
  private final Consumer<String> log;

  /**
   * @param directory the folder; created when missing, and cleared of temporary folders a crash left behind
   * @param fingerprint what this run is; checkpoints with another fingerprint are skipped
   * @param keep how many of the newest checkpoints to keep, >= 1
   * @param log where to say what was resumed or skipped
   */
  public CheckpointStore(Path directory, String fingerprint, int keep, Consumer<String> log) throws IOException {
    this.directory = Files.createDirectories(directory);
    this.fingerprint = fingerprint;
    this.keep = keep;
    this.log = log;
    try (Stream<Path> stale = Files.list(directory)) {
      for (Path path : stale.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList()) {
        deleteTree(path);
      }
    }
  }

  /** The folder. */
  public Path directory() {
    return directory;
  }

  /** A checkpoint read back: its state and tensors (on the manager given to {@link #newest}). */
  public record Loaded(Path path, TrainingState state, Map<String, NDArray> tensors) {}

  /**
   * The newest checkpoint whose fingerprint matches and whose tensors verify. A checkpoint that cannot be read or
   * fails its digest is logged and passed over for the one before; one with another fingerprint is logged and
   * skipped.
   *
   * @param model the model the caller trains, or {@code null} for a trainer without a {@link ModelSpec} (the
   *     detector's), whose checkpoints have none either
   * @throws IllegalStateException when a readable checkpoint newer than any usable one is of another model (weights
   *     of one architecture cannot continue another)
   */
  public java.util.Optional<Loaded> newest(ModelSpec model, NDManager manager) throws IOException {
    List<Path> newestFirst = checkpoints();
    java.util.Collections.reverse(newestFirst);
    for (Path path : newestFirst) {
      TrainingState state;
      try {
        state = JSON.readValue(path.resolve(STATE).toFile(), TrainingState.class);
      } catch (IOException | RuntimeException e) {
        log.accept("checkpoint " + path.getFileName() + " is unreadable (" + e.getMessage()
            + "); trying the one before");
        continue;
      }
      if (!TrainingState.FORMAT.equals(state.format())) {
        log.accept("checkpoint " + path.getFileName() + " has format '" + state.format() + "', not '"
            + TrainingState.FORMAT + "'; skipped");
        continue;
      }
      if (!java.util.Objects.equals(model, state.model())) {
        throw new IllegalStateException("Cannot resume from checkpoint " + path + ": it holds a "
            + describe(state.model()) + ", but train.model is a " + describe(model) + ". Weights of one model "
            + "cannot continue another: delete " + directory + " to start afresh, or train the checkpoint's model.");
      }
      if (!fingerprint.equals(state.fingerprint())) {
        log.accept("checkpoint " + path.getFileName() + " belongs to another spec, seed, code or data (fingerprint "
            + shortHash(state.fingerprint()) + ", this run " + shortHash(fingerprint) + "); not resumed");
        continue;
      }
      Path tensors = path.resolve(TENSORS);
      try {
        String digest = Digests.sha256Hex(tensors);
        if (!digest.equals(state.tensorsSha256())) {
          log.accept("checkpoint " + path.getFileName() + " is corrupt (" + TENSORS + " has SHA-256 "
              + shortHash(digest) + ", its state says " + shortHash(state.tensorsSha256())
              + "); trying the one before");
          continue;
        }
        return java.util.Optional.of(new Loaded(path, state, TensorFile.read(tensors, manager)));
      } catch (IOException | RuntimeException e) {
        log.accept("checkpoint " + path.getFileName() + " is unreadable (" + e.getMessage()
            + "); trying the one before");
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * Writes a checkpoint atomically and removes all but the newest {@code keep}.
   *
   * @param state the state; its fingerprint and tensor digest are filled in here
   * @return the checkpoint's folder
   */
  public Path save(TrainingState state, Map<String, NDArray> tensors) throws IOException {
    String name = String.format(Locale.ROOT, "ckpt-%012d-%06d-%010d", state.step(), state.epoch(),
        state.batchInEpoch());
    Path target = publish(name, temp -> {
      Path tensorFile = temp.resolve(TENSORS);
      TensorFile.write(tensorFile, tensors);
      TrainingState complete = new TrainingState(TrainingState.FORMAT, fingerprint, state.model(), state.seed(),
          state.epoch(), state.batchInEpoch(), state.step(), state.metrics(), state.history(), state.best(),
          state.stoppedEarly(), Digests.sha256Hex(tensorFile), state.createdUtc());
      JSON.writeValue(temp.resolve(STATE).toFile(), complete);
    });
    List<Path> all = checkpoints();
    for (int i = 0; i < all.size() - keep; i++) {
      deleteTree(all.get(i));
    }
    return target;
  }

  /**
   * Keeps the weights of the best epoch so far as {@code best-<epoch>/tensors.bin} (with {@code sha256.txt}),
   * written atomically; older best folders are removed after it is in place.
   */
  public void saveBest(int epoch, Map<String, NDArray> tensors) throws IOException {
    String name = String.format(Locale.ROOT, "best-%06d", epoch);
    publish(name, temp -> {
      TensorFile.write(temp.resolve(TENSORS), tensors);
      Files.writeString(temp.resolve("sha256.txt"), Digests.sha256Hex(temp.resolve(TENSORS)));
    });
    try (Stream<Path> entries = Files.list(directory)) {
      for (Path old : entries.filter(p -> p.getFileName().toString().matches("best-\\d{6}")
          && !p.getFileName().toString().equals(name)).toList()) {
        deleteTree(old);
      }
    }
  }

  /** The best epoch's weights, if they are there and verify; otherwise empty (and logged). */
  public java.util.Optional<Map<String, NDArray>> best(int epoch, NDManager manager) throws IOException {
    Path dir = directory.resolve(String.format(Locale.ROOT, "best-%06d", epoch));
    Path tensors = dir.resolve(TENSORS);
    if (!Files.isRegularFile(tensors)
        || !Digests.sha256Hex(tensors).equals(Files.readString(dir.resolve("sha256.txt")).trim())) {
      log.accept("the weights of the best epoch (" + epoch + ") are missing or corrupt in " + dir
          + "; the model is the last epoch's");
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(TensorFile.read(tensors, manager));
  }

  /** Writes the files of one folder. */
  private interface FolderWriter {
    void write(Path folder) throws IOException;
  }

  /**
   * Fills a temporary folder and renames it to {@code name} in one step, replacing a folder of that name; a crash
   * leaves either the old folder or the new one (and maybe a {@code .tmp-} folder, removed at the next start).
   */
  private Path publish(String name, FolderWriter writer) throws IOException {
    Path target = directory.resolve(name);
    Path temp = directory.resolve(".tmp-" + name + "-" + UUID.randomUUID());
    Files.createDirectories(temp);
    try {
      writer.write(temp);
      if (Files.exists(target)) {
        deleteTree(target);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      if (Files.exists(temp)) {
        deleteTree(temp);
      }
    }
    return target;
  }

  /** Every checkpoint folder, oldest first. */
  public List<Path> checkpoints() throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return new ArrayList<>(entries.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
          .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList());
    }
  }

  private static String describe(ModelSpec model) {
    if (model == null) {
      return "model without a ModelSpec (a detector)";
    }
    return model.architecture() + " model (" + model.channels() + "x" + model.height() + "x" + model.width()
        + " CHW in, " + model.classes() + " classes" + (model.hidden().isEmpty() ? "" : ", hidden " + model.hidden())
        + ")";
  }

  private static String shortHash(String hash) {
    return hash == null ? "none" : hash.substring(0, Math.min(12, hash.length()));
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
