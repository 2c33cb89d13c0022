package dev.tessera.pipelines.exec;

import static dev.tessera.pipelines.dag.Experiment.after;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageResult;
import dev.tessera.pipelines.testing.Engine;
import dev.tessera.pipelines.testing.TextSpec;
import dev.tessera.pipelines.testing.TextStage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stage reading a local folder is keyed by the folder's content: new files make it run again. */
class ExternalDataTest {
  @TempDir Path dir;

  /** A source that declares a local folder as its external data (as a local ingest does). */
  private record FolderSource(TextSpec spec, String folder) implements Stage<TextSpec> {
    @Override
    public Stage<TextSpec> withSpec(TextSpec newSpec) {
      return new FolderSource(newSpec, folder);
    }

    @Override
    public List<ArtifactKind> inputs() {
      return List.of();
    }

    @Override
    public ArtifactKind output() {
      return TextStage.TEXT;
    }

    @Override
    public List<String> externalData() {
      return List.of("folder:" + folder);
    }

    @Override
    public StageResult run(StageContext context) throws Exception {
      return TextStage.source(spec).run(context);
    }
  }

  @Test
  void aFileAddedToTheFolderRerunsItsReaderButNotAStageWhoseInputStayedTheSame() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("images"));
    Files.writeString(folder.resolve("1.png"), "one");
    Path markers = dir.resolve("markers");
    Experiment experiment = Experiment.named("folder")
        .stage("ingest", new FolderSource(TextSpec.of("a", markers.toString()), folder.toString()))
        .stage("train", TextStage.reading(1, TextSpec.of("b", markers.toString())), after("ingest"))
        .build();
    Engine engine = new Engine(dir.resolve("home"));
    engine.run(experiment);
    RunRecord same = engine.run(experiment).run();
    assertEquals(StageStatus.CACHED, same.stages.get("ingest").status, "nothing changed in the folder");

    Files.writeString(folder.resolve("2.png"), "two");
    RunRecord grown = engine.run(experiment).run();
    assertEquals(StageStatus.SUCCEEDED, grown.stages.get("ingest").status, "the folder grew: read it again");
    assertEquals(2, TextStage.executions(markers, "ingest"));
    assertEquals(StageStatus.CACHED, grown.stages.get("train").status,
        "this toy ingest writes the same output, so its reader's input did not change");
    assertTrue(grown.stages.get("ingest").keyParts.inputs().containsKey("folder:" + folder), grown.stages
        .get("ingest").keyParts.inputs().toString());

    Files.writeString(folder.resolve("3.png"), "three");
    List<CacheExplanation> explained = new CacheExplainer(engine.store).explain(experiment, grown);
    CacheExplanation ingest = explained.get(0);
    assertTrue(!ingest.hit() && ingest.changes().stream().anyMatch(c -> c.startsWith("input 'folder:" + folder)),
        explained.toString());
  }
}
