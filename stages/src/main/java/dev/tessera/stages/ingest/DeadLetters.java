package dev.tessera.stages.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.data.Locations;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * The {@code dead_letter.jsonl} of an ingest artifact: one JSON object per line with {@code id}, {@code source},
 * {@code reason} and {@code scope} ({@code sample} or {@code box}). Readable with
 * {@code pandas.read_json(path, lines=True)}. Written and read in a local folder or, through Beam's file systems,
 * in a dataset folder on any of them (the stage's output location in a bucket).
 */
public final class DeadLetters {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeadLetters() {}

  /** Writes the letters, in the given order, atomically to {@code dir/dead_letter.jsonl}. */
  public static void write(Path dir, List<DeadLetter> letters) throws IOException {
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + DeadLetter.FILE_NAME + ".", ".tmp");
    try {
      try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
        for (DeadLetter letter : letters) {
          writer.write(JSON.writeValueAsString(letter));
          writer.write('\n');
        }
      }
      Files.move(temp, dir.resolve(DeadLetter.FILE_NAME), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Reads {@code dir/dead_letter.jsonl}; an absent file means none. */
  public static List<DeadLetter> read(Path dir) throws IOException {
    Path file = dir.resolve(DeadLetter.FILE_NAME);
    List<DeadLetter> letters = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return letters;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        letters.add(JSON.readValue(line, DeadLetter.class));
      }
    }
    return letters;
  }

  /**
   * As {@link #write(Path, List)} into the dataset folder {@code location} on any Beam file system (a local
   * directory or {@code s3://...}, where the object appears only once written whole).
   */
  public static void write(String location, List<DeadLetter> letters) throws IOException {
    Optional<Path> local = Locations.localPath(location);
    if (local.isPresent()) {
      write(local.get(), letters);
      return;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (DeadLetter letter : letters) {
      bytes.write(JSON.writeValueAsBytes(letter));
      bytes.write('\n');
    }
    Locations.write(file(location), bytes.toByteArray(), MimeTypes.TEXT);
  }

  /** As {@link #read(Path)} from the dataset folder {@code location} on any Beam file system. */
  public static List<DeadLetter> read(String location) throws IOException {
    Optional<Path> local = Locations.localPath(location);
    if (local.isPresent()) {
      return read(local.get());
    }
    List<DeadLetter> letters = new ArrayList<>();
    if (!exists(location)) {
      return letters;
    }
    for (String line : new String(Locations.read(file(location)), StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        letters.add(JSON.readValue(line, DeadLetter.class));
      }
    }
    return letters;
  }

  /** Whether the dataset folder {@code location} (local or on any Beam file system) has the file. */
  public static boolean exists(String location) throws IOException {
    Optional<Path> local = Locations.localPath(location);
    if (local.isPresent()) {
      return Files.isRegularFile(local.get().resolve(DeadLetter.FILE_NAME));
    }
    return !Locations.match(file(location).toString()).isEmpty();
  }

  private static ResourceId file(String location) {
    return Locations.resolve(location, DeadLetter.FILE_NAME);
  }
}
