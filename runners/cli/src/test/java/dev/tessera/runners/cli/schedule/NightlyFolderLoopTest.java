package dev.tessera.runners.cli.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.experiments.MnistFolder;
import dev.tessera.pipelines.dag.StageNode;
import dev.tessera.pipelines.exec.RunRecord;
import dev.tessera.pipelines.exec.RunStore;
import dev.tessera.pipelines.exec.StageStatus;
import dev.tessera.pipelines.tracking.registry.FileStoreRegistry;
import dev.tessera.pipelines.tracking.registry.ModelRegistry;
import dev.tessera.runners.cli.Experiments;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nightly loop of the README on the built-in {@code mnist-folder}: a schedule with {@code --when data-changed}
 * and a promotion gate, firing on a simulated clock, each firing's run a real {@code tessera run} process that
 * trains LeNet-5 on a small folder of 28x28 digit PNGs and registers its model in {@code ./mlruns}.
 */
class NightlyFolderLoopTest {
  private static final String GATE = "evaluate/accuracy:max:0.001";
  @TempDir Path home;
  private final List<String> decisions = new CopyOnWriteArrayList<>();
  private final List<LaunchedRun> launched = new ArrayList<>();

  @AfterEach
  void stopRuns() {
    launched.forEach(run -> ProcessHandle.of(run.pid()).ifPresent(ProcessHandle::destroyForcibly));
  }

  /**
   * Writes {@code perClass} train and {@code perClass / 4} test images of each digit, numbered from {@code first}:
   * a bright stroke whose place and slant depend on the digit, on noise, so that LeNet has something to learn.
   */
  static void writeDigits(Path root, int first, int perClass) throws IOException {
    Random random = new Random(first);
    for (String split : List.of("train", "test")) {
      int count = split.equals("train") ? perClass : Math.max(1, perClass / 4);
      for (int digit = 0; digit < 10; digit++) {
        Path folder = Files.createDirectories(root.resolve(split).resolve(Integer.toString(digit)));
        for (int i = first; i < first + count; i++) {
          BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
          for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
              boolean stroke = Math.abs(x - (4 + 2 * digit) - (y - 14) * (digit % 3 - 1) / 4) <= 1;
              int value = (stroke ? 200 : 10) + random.nextInt(40);
              image.getRaster().setSample(x, y, 0, value);
            }
          }
          ImageIO.write(image, "png", folder.resolve(split + "-" + i + ".png").toFile());
        }
      }
    }
  }

  private Scheduler scheduler(ScheduleStore store, MutableClock clock) {
    Map<String, String> environment = Map.of("TESSERA_HOME", home.toString(),
        "MLFLOW_TRACKING_URI", home.resolve("mlruns").toString());
    ChildProcessLauncher real = new ChildProcessLauncher(home, environment);
    Launcher launcher = new Launcher() {
      @Override
      public LaunchedRun start(ScheduleSpec schedule, Instant firing, Path log) throws IOException {
        return remember(real.start(schedule, firing, log));
      }

      @Override
      public LaunchedRun resume(ScheduleSpec schedule, Instant firing, String runId, Path log) throws IOException {
        return remember(real.resume(schedule, firing, runId, log));
      }

      @Override
      public LaunchedRun complete(ScheduleSpec schedule, Instant firing, String runId, Path log)
          throws IOException {
        return remember(real.complete(schedule, firing, runId, log));
      }

      @Override
      public java.util.Optional<LaunchedRun> reattach(ScheduleSpec schedule, FiringRecord record) {
        return real.reattach(schedule, record);
      }

      private LaunchedRun remember(LaunchedRun run) {
        launched.add(run);
        return run;
      }
    };
    // What the CLI binds for --when data-changed, with the built-in experiment resolved as 'tessera run' does.
    Experiments.Loaded loaded = new Experiments.Loaded(new MnistFolder(), "built-in", null);
    DataChangedCondition dataChanged = new DataChangedCondition(store, schedule -> {
      List<String> data = new ArrayList<>();
      for (StageNode node : Experiments.resolve(loaded, schedule.overrides()).stages()) {
        data.addAll(node.stage().externalData());
      }
      return data;
    }, home.resolve("data-digests"));
    Scheduler scheduler = new Scheduler(store, launcher, clock, Map.of(DataChangedCondition.NAME, dataChanged),
        new WebhookNotifier());
    scheduler.logTo(decisions::add);
    return scheduler;
  }

  /** Ticks at {@code firing} (the run goes on in real time) until the firing is settled. */
  private FiringRecord fire(Scheduler scheduler, ScheduleStore store, MutableClock clock, Instant firing) {
    clock.set(firing.plusSeconds(5));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(400);
    while (System.nanoTime() < deadline) {
      scheduler.tick();
      java.util.Optional<FiringRecord> record = store.firing("nightly", firing).filter(r -> r.outcome().done());
      if (record.isPresent()) {
        return record.get();
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200)); // polling a child process, as the CLI does
    }
    throw new AssertionError("firing " + firing + " did not settle\n" + String.join("\n", decisions));
  }

  private String log(FiringRecord record) {
    try {
      return record.log() == null ? "" : Files.readString(Path.of(record.log()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Test
  void retrainsOnlyWhenTheFolderGrowsAndPromotesOnlyABetterModel() throws Exception {
    Path digits = home.resolve("digits");
    writeDigits(digits, 0, 16);
    Instant start = Instant.parse("2026-06-01T00:00:00Z");
    ScheduleStore store = new ScheduleStore(home);
    store.save(new ScheduleSpec("nightly", MnistFolder.NAME, "0 2 * * *", "UTC",
        List.of("ingest.path=" + digits, "train.epochs=1"), null, DataChangedCondition.NAME, OverlapPolicy.SKIP,
        MissedPolicy.RUN_ONCE, null, false, start.toString(), GATE));
    MutableClock clock = new MutableClock(start);
    Scheduler scheduler = scheduler(store, clock);
    RunStore runs = new RunStore(home);
    ModelRegistry registry = FileStoreRegistry.at(home.resolve("mlruns"));

    FiringRecord night1 = fire(scheduler, store, clock, Instant.parse("2026-06-01T02:00:00Z"));
    assertEquals(FiringOutcome.RAN, night1.outcome(), night1 + "\n" + log(night1));
    assertEquals(1, registry.byAlias(MnistFolder.NAME, ModelRegistry.CHAMPION).orElseThrow().version(),
        "the first model is the champion: there was none\n" + log(night1));

    FiringRecord night2 = fire(scheduler, store, clock, Instant.parse("2026-06-02T02:00:00Z"));
    assertEquals(FiringOutcome.SKIPPED, night2.outcome(), night2.toString());
    assertTrue(night2.reason().startsWith("input data unchanged since the successful run of 2026-06-01T02:00:00Z"),
        night2.reason());
    assertEquals(1, runs.list(MnistFolder.NAME).size(), "no run for a skipped firing");

    writeDigits(digits, 100, 8); // new images arrive in the folder
    FiringRecord night3 = fire(scheduler, store, clock, Instant.parse("2026-06-03T02:00:00Z"));
    assertEquals(FiringOutcome.RAN, night3.outcome(), night3 + "\n" + log(night3));
    RunRecord retrained = runs.load(night3.runId()).orElseThrow();
    for (String stage : List.of("ingest", "preprocess", "train", "evaluate")) {
      assertEquals(StageStatus.SUCCEEDED, retrained.stages.get(stage).status, stage + " reads the grown data\n"
          + log(night3));
    }
    assertEquals(240.0, retrained.stages.get("ingest").summary.get("train_samples"), log(night3));
    var challenger = registry.version(MnistFolder.NAME, 2).orElseThrow();
    String decision = challenger.tags().get("tessera.gate.decision");
    assertTrue(decision.equals("promoted") || decision.equals("kept"), challenger.tags().toString());
    assertEquals(decision.equals("promoted") ? 2 : 1,
        registry.byAlias(MnistFolder.NAME, ModelRegistry.CHAMPION).orElseThrow().version(),
        "the champion follows the gate's decision: " + challenger.tags());

    // A file that is not an image changes the folder, not the dataset: ingest runs, the rest comes from the cache.
    Files.writeString(digits.resolve("NOTES.txt"), "scanned on day 4");
    FiringRecord night4 = fire(scheduler, store, clock, Instant.parse("2026-06-04T02:00:00Z"));
    assertEquals(FiringOutcome.RAN, night4.outcome(), night4 + "\n" + log(night4));
    RunRecord unchanged = runs.load(night4.runId()).orElseThrow();
    assertEquals(StageStatus.SUCCEEDED, unchanged.stages.get("ingest").status, log(night4));
    for (String stage : List.of("preprocess", "train", "evaluate")) {
      assertEquals(StageStatus.CACHED, unchanged.stages.get(stage).status, stage + "\n" + log(night4));
    }
    assertTrue(log(night4).contains("Not registered: stage 'train' was served from the cache"), log(night4));
    assertTrue(registry.version(MnistFolder.NAME, 3).isEmpty(), "a cached model is not registered twice");
    assertEquals(List.of("ran", "skipped", "ran", "ran"), store.firings("nightly").stream()
        .sorted(Comparator.comparing(FiringRecord::scheduled)).map(r -> r.outcome().label()).toList());
  }
}
