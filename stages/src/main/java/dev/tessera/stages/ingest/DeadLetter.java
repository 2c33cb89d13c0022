package dev.tessera.stages.ingest;

import java.io.Serializable;
import java.util.Objects;

/**
 * A piece of input that ingest could not use, and why: one line of the artifact's {@code dead_letter.jsonl}.
 *
 * @param id the sample id the input would have had, such as {@code bccd/train/BloodImage_00338}
 * @param source the file (and element inside it) the input came from
 * @param reason what is wrong, in words
 * @param scope {@link #SAMPLE} when the whole sample was left out, {@link #BOX} when only one box was (the sample
 *     is kept with its other boxes)
 */
public record DeadLetter(String id, String source, String reason, String scope) implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String SAMPLE = "sample";
  public static final String BOX = "box";
  /** The dead-letter file's name inside an ingest artifact. */
  public static final String FILE_NAME = "dead_letter.jsonl";

  public DeadLetter {
    Objects.requireNonNull(id, "deadLetter.id");
    Objects.requireNonNull(source, "deadLetter.source");
    Objects.requireNonNull(reason, "deadLetter.reason");
    if (!SAMPLE.equals(scope) && !BOX.equals(scope)) {
      throw new IllegalArgumentException("deadLetter.scope must be 'sample' or 'box', but was '" + scope + "'");
    }
  }

  /** A whole sample left out. */
  public static DeadLetter sample(String id, String source, String reason) {
    return new DeadLetter(id, source, reason, SAMPLE);
  }

  /** One box left out of a sample that is kept. */
  public static DeadLetter box(String id, String source, String reason) {
    return new DeadLetter(id, source, reason, BOX);
  }
}
