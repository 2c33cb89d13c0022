package dev.tessera.stages.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code dead_letter.jsonl} of an ingest artifact: one JSON object per line with {@code id}, {@code source},
 * {@code reason} and {@code scope} ({@code sample} or {@code box}). Readable with
 * {@code pandas.read_json(path, lines=True)}.
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
}
