package dev.tessera.stages.sweep;

import java.util.Random;

/**
 * One searched setting, named by its spec path ({@code train.learningRate}).
 *
 * <p>Strategies work on an internal number per parameter: the index of the choice for a {@link Choice}, the value
 * itself for {@link IntRange} and {@link FloatRange}. {@link #format} turns it into the text a {@code --set}
 * override takes, {@link #internal} reads it back.
 */
public sealed interface Parameter permits Choice, IntRange, FloatRange {

  /** The spec path this parameter sets. */
  String name();

  /** When the parameter is active, or {@code null} when it always is. */
  Condition condition();

  /** A copy active only when {@code parent} has one of {@code values}. */
  Parameter when(String parent, String... values);

  /** The setting's text for an internal value (a choice index or a number). */
  String format(double internal);

  /** The internal value of a setting's text; fails naming the parameter when the text is not a legal value. */
  double internal(String value);

  /** A value drawn uniformly (log-uniformly for log ranges), as an internal value. */
  double sample(Random random);

  /** How this parameter reads in a search-space text, e.g. {@code loguniform(1.0E-4,0.1)}. */
  String describe();
}
