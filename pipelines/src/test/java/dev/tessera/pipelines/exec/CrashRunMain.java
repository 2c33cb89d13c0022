package dev.tessera.pipelines.exec;

import static dev.tessera.pipelines.dag.Experiment.after;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.testing.Engine;
import dev.tessera.pipelines.testing.TextSpec;
import dev.tessera.pipelines.testing.TextStage;
import java.nio.file.Path;

/**
 * Runs the crash-test experiment in its own JVM, which {@link CrashResumeTest} kills with SIGKILL while stage
 * {@code b} is running: a -> (b, c) -> d, where b writes half its output and then waits for a file.
 */
public final class CrashRunMain {
  private CrashRunMain() {}

  static Experiment experiment(Path markers) {
    TextSpec base = TextSpec.of("x", markers.toString());
    return Experiment.named("crash")
        .stage("a", TextStage.source(base.withText("a")))
        .stage("b", TextStage.reading(1, base.withText("b").waitingFor(markers.resolve("release").toString())),
            after("a"))
        .stage("c", TextStage.reading(1, base.withText("c")), after("a"))
        .stage("d", TextStage.reading(2, base.withText("d")), after("b", "c"))
        .build();
  }

  public static void main(String[] args) {
    Path home = Path.of(args[0]);
    Path markers = Path.of(args[1]);
    new Engine(home).run(experiment(markers));
  }
}
