package dev.tessera.pipelines.dag;

import java.util.List;
import java.util.Map;

/**
 * Turns input artifacts into one output artifact. Stages never talk to each other except through artifacts.
 *
 * <p>A stage holds only its {@link StageSpec}; services reach it through the {@link StageContext}. The executor
 * gives it a fresh output directory per attempt and publishes that directory atomically only when {@link #run}
 * returns normally.
 *
 * @param <S> the spec record type
 */
public interface Stage<S extends StageSpec> {

  /** The settings of this stage. */
  S spec();

  /** A copy of this stage with other settings; used to apply {@code --set} overrides. */
  Stage<S> withSpec(S spec);

  /** A short, stable name for the kind of stage, such as {@code train}; part of the cache key. */
  default String kind() {
    return getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The kinds of input this stage reads, one entry per dependency it expects. Dependencies are bound to these
   * slots by kind, in the order they are listed in {@code after(...)}.
   */
  List<ArtifactKind> inputs();

  /** The kind of artifact this stage writes. */
  ArtifactKind output();

  /** Does the work: reads {@link StageContext#input}, writes into {@link StageContext#outputDirectory}. */
  StageResult run(StageContext context) throws Exception;

  /**
   * Classes whose bytecode makes up this stage's implementation fingerprint, part of the cache key: a change to
   * any of them invalidates cached outputs. Override to add the helpers that compute the stage's result.
   */
  default List<Class<?>> implementationClasses() {
    return List.of(getClass(), spec().getClass());
  }

  /**
   * Whether this stage's output depends on the experiment seed ({@link StageContext#seed()}). When true, the seed is
   * part of the cache key (as {@code seed} among its environment facts), so {@code --set seed=7} never serves the
   * output made with seed 42. Stages that keep their seed in their spec, or draw nothing at random, leave it false.
   */
  default boolean usesExperimentSeed() {
    return false;
  }

  /**
   * Environment facts that change this stage's result, such as an engine version or the device type; part of the
   * cache key.
   */
  default Map<String, String> environment() {
    return Map.of();
  }
}
