package dev.tessera.pipelines.dag;

import static dev.tessera.pipelines.dag.Experiment.after;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.pipelines.spec.SpecException;
import dev.tessera.pipelines.spec.SpecOverride;
import dev.tessera.pipelines.testing.Golden;
import dev.tessera.pipelines.testing.TextSpec;
import dev.tessera.pipelines.testing.TextStage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExperimentTest {
  private static final TextSpec SPEC = TextSpec.of("x", "/tmp/unused");

  private static Stage<?> source() {
    return TextStage.source(SPEC);
  }

  private static Stage<?> reading(int n) {
    return TextStage.reading(n, SPEC);
  }

  /** A stage that needs a model input: for kind mismatches. */
  private record NeedsModel(TextSpec spec) implements Stage<TextSpec> {
    @Override
    public Stage<TextSpec> withSpec(TextSpec s) {
      return new NeedsModel(s);
    }

    @Override
    public List<ArtifactKind> inputs() {
      return List.of(ArtifactKind.MODEL, TextStage.TEXT);
    }

    @Override
    public ArtifactKind output() {
      return ArtifactKind.METRICS;
    }

    @Override
    public StageResult run(StageContext context) {
      return StageResult.of(0);
    }
  }

  @Test
  void ordersStagesTopologicallyKeepingDeclarationOrder() {
    Experiment experiment = Experiment.named("order")
        .stage("report", reading(2), after("left", "right"))
        .stage("left", reading(1), after("source"))
        .stage("source", source())
        .stage("right", reading(1), after("source"))
        .build();
    assertEquals(List.of("source", "left", "right", "report"), experiment.stageNames());
  }

  @Test
  void rejectsUnknownDependencyWithSuggestion() {
    var e = assertThrows(ExperimentValidationException.class, () -> Experiment.named("mnist-lenet")
        .stage("preprocess", source())
        .stage("train", reading(1), after("preproces"))
        .build());
    Golden.assertMatches("validation-unknown-dependency.txt", e.getMessage());
  }

  @Test
  void rejectsCycleAndPrintsItsPath() {
    var e = assertThrows(ExperimentValidationException.class, () -> Experiment.named("mnist-lenet")
        .stage("ingest", source())
        .stage("train", reading(2), after("ingest", "evaluate"))
        .stage("evaluate", reading(1), after("train"))
        .build());
    Golden.assertMatches("validation-cycle.txt", e.getMessage());
  }

  @Test
  void rejectsDuplicateStageName() {
    var e = assertThrows(ExperimentValidationException.class, () -> Experiment.named("demo")
        .stage("train", source())
        .stage("evaluate", reading(1), after("train"))
        .stage("train", source())
        .build());
    Golden.assertMatches("validation-duplicate.txt", e.getMessage());
  }

  @Test
  void rejectsInputOfWrongKind() {
    var e = assertThrows(ExperimentValidationException.class, () -> Experiment.named("demo")
        .stage("ingest", source())
        .stage("report", reading(1), after("ingest"))
        .stage("evaluate", new NeedsModel(SPEC), after("ingest", "report"))
        .build());
    Golden.assertMatches("validation-kind-mismatch.txt", e.getMessage());
  }

  @Test
  void rejectsBadNames() {
    var e = assertThrows(ExperimentValidationException.class, () -> Experiment.named("My Experiment")
        .stage("Train", source())
        .build());
    Golden.assertMatches("validation-names.txt", e.getMessage());
  }

  @Test
  void overrideWithInvalidValueNamesParameterAndValue() {
    Experiment experiment = Experiment.named("demo").stage("source", source()).build();
    var e = assertThrows(SpecException.class,
        () -> experiment.withOverrides(List.of(SpecOverride.parse("source.failTimes=-1"))));
    Golden.assertMatches("override-invalid-value.txt", e.getMessage());
  }

  @Test
  void overrideWithWrongTypeSaysWhatIsExpected() {
    Experiment experiment = Experiment.named("demo").stage("source", source()).build();
    var e = assertThrows(SpecException.class,
        () -> experiment.withOverrides(List.of(SpecOverride.parse("source.failTimes=many"))));
    Golden.assertMatches("override-wrong-type.txt", e.getMessage());
  }

  @Test
  void overrideWithUnknownPathListsValidPaths() {
    Experiment experiment = Experiment.named("demo").stage("source", source()).build();
    var e = assertThrows(SpecException.class,
        () -> experiment.withOverrides(List.of(SpecOverride.parse("nosuch.key=1"))));
    Golden.assertMatches("override-unknown-path.txt", e.getMessage());
  }

  @Test
  void overridesChangeSpecAndSeedAndKeepTheRest() {
    Experiment experiment = Experiment.named("demo").seed(42).stage("source", source()).build();
    Experiment changed = experiment.withOverrides(
        SpecOverride.parseAll(List.of("source.text=hello", "source.failTimes=2", "seed=7")));
    TextSpec spec = (TextSpec) changed.stage("source").stage().spec();
    assertEquals("hello", spec.text());
    assertEquals(2, spec.failTimes());
    assertEquals("/tmp/unused", spec.markerDir());
    assertEquals(7, changed.seed());
    assertEquals("x", ((TextSpec) experiment.stage("source").stage().spec()).text(), "original unchanged");
  }

  @Test
  void specJsonAndParamsAreCanonical() {
    Experiment experiment = Experiment.named("demo").seed(3)
        .stage("source", source())
        .stage("copy", reading(1), after("source"))
        .build();
    Golden.assertMatches("demo-spec.json", experiment.specJson());
    assertEquals("{seed=3, source.failTimes=0, source.markerDir=/tmp/unused, source.retryable=false, "
        + "source.text=x, source.waitForFile=, copy.failTimes=0, copy.markerDir=/tmp/unused, copy.retryable=false, "
        + "copy.text=x, copy.waitForFile=}", experiment.params().toString());
  }
}
