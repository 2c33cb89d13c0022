package dev.tessera.stages.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.artifact.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote models fetched into a machine's folder of copies. The fetch here writes the model's files from memory
 * where the real one downloads them from the artifact root (EvaluateOnS3IT covers that against an S3 server).
 */
class ModelCopyTest {
  private static final String REMOTE = "s3://team/tessera/artifacts/model/";

  @TempDir Path dir;

  @Test
  void fetchesAModelOnceAndReusesItsVerifiedCopy() throws IOException {
    ModelCopies copies = new ModelCopies(dir.resolve("copies"));
    String digest = digestOf("weights 1");
    AtomicInteger fetches = new AtomicInteger();

    for (int i = 0; i < 2; i++) {
      try (ModelCopy.Lease copy = ModelCopy.use(copies, REMOTE, digest, ModelCopyLimits.DEFAULT,
          target -> {
            fetches.incrementAndGet();
            write(target, "weights 1");
          })) {
        assertEquals(copies.copy(digest.substring(7)), copy.directory());
        assertEquals("weights 1", Files.readString(copy.directory().resolve("model.params")));
      }
    }
    assertEquals(1, fetches.get(), "fetched once per machine");
  }

  @Test
  void refusesAModelWhoseBytesDifferFromItsDigestAndKeepsNothing() throws IOException {
    Path root = dir.resolve("copies");
    ModelCopies copies = new ModelCopies(root);
    String digest = digestOf("weights 1");

    IOException e = assertThrows(IOException.class, () -> ModelCopy.use(copies, REMOTE, digest,
        ModelCopyLimits.DEFAULT, target -> write(target, "weights 2")));

    assertTrue(e.getMessage().contains("the model at " + REMOTE + " has the digest " + digestOf("weights 2")
        + ", but the run expects " + digest), e.getMessage());
    copies.evict(ModelCopyLimits.DEFAULT);
    try (var left = Files.list(root)) {
      assertEquals(List.of(".lock"), left.map(p -> p.getFileName().toString()).toList(), "no copy, no temp");
    }
  }

  @Test
  void aFetchRemovesTheOldestCopiesBeyondTheLimitButNotTheOneInUse() throws IOException {
    ModelCopies copies = new ModelCopies(dir.resolve("copies"));
    ModelCopyLimits limits = new ModelCopyLimits(2, 1L << 30);
    List<Path> fetched = new ArrayList<>();
    ModelCopy.Lease first = fetch(copies, limits, 0);
    fetched.add(first.directory());
    usedMinutesAgo(first.directory(), 10);
    for (int i = 1; i < 5; i++) {
      try (ModelCopy.Lease copy = fetch(copies, limits, i)) {
        fetched.add(copy.directory());
      }
      usedMinutesAgo(fetched.get(i), 10 - i); // the order of use, also where the clock would give equal times
    }
    first.close();

    assertTrue(Files.isDirectory(fetched.get(0)), "the first model stays while in use, though the oldest");
    assertFalse(Files.exists(fetched.get(1)));
    assertFalse(Files.exists(fetched.get(2)));
    assertTrue(Files.isDirectory(fetched.get(3)), "the limit keeps 2: the newest and the one before it");
    assertTrue(Files.isDirectory(fetched.get(4)), "the newest stays");
  }

  @Test
  void aLocalModelIsUsedWhereItIs() throws IOException {
    Path model = write(Files.createDirectories(dir.resolve("model")), "weights 1");

    try (ModelCopy.Lease copy = ModelCopy.use(model.toString(), digestOf("weights 1"))) {
      assertEquals(model, copy.directory());
    }
  }

  @Test
  void rejectsADigestThatIsNotSha256() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelCopy.use(new ModelCopies(dir), REMOTE, "md5:abc", ModelCopyLimits.DEFAULT, target -> {}));
    assertEquals("a model digest must be sha256:<64 hex digits>, but was 'md5:abc'", e.getMessage());
  }

  private static void usedMinutesAgo(Path copy, int minutes) throws IOException {
    Files.setLastModifiedTime(copy, FileTime.from(Instant.now().minus(Duration.ofMinutes(minutes))));
  }

  private static ModelCopy.Lease fetch(ModelCopies copies, ModelCopyLimits limits, int i) throws IOException {
    String weights = "weights " + i;
    return ModelCopy.use(copies, REMOTE + i, digestOf(weights), limits, target -> write(target, weights));
  }

  private static Path write(Path model, String weights) throws IOException {
    Files.writeString(model.resolve("model.params"), weights, StandardCharsets.UTF_8);
    return model;
  }

  private static String digestOf(String weights) throws IOException {
    Path model = Files.createTempDirectory("model-copy-test-");
    try {
      return Digests.ofTree(write(model, weights), List.of());
    } finally {
      Files.delete(model.resolve("model.params"));
      Files.delete(model);
    }
  }
}
