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
   * Extra roots of this stage's code fingerprint, part of the cache key. The fingerprint already covers every class
   * reachable from the stage's class and its spec's class through their bytecode (and the library jars they use);
   * list here only code the stage reaches by name at run time, such as a registry entry its spec names. Most
   * stages keep the default: none.
   */
  default List<Class<?>> implementationClasses() {
    return List.of();
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
   * The figure to show after a run (a key of this stage's result summary), such as the test accuracy; empty for
   * none.
   */
  default java.util.Optional<Headline> headline() {
    return java.util.Optional.empty();
  }

  /**
   * What this stage reads from outside the artifact store, as identities that change when that data changes:
   * {@code folder:<absolute path>} for a local folder (digested by content; see
   * {@link dev.tessera.pipelines.datasets.FolderDigest}), or a fixed text such as {@code catalog:mnist} for data
   * pinned by checksums in code. Schedules with {@code --when data-changed} compare these between firings.
   */
  default List<String> externalData() {
    return List.of();
  }

  /**
   * Environment facts that change this stage's result, such as an engine version or the device type; part of the
   * cache key.
   */
  default Map<String, String> environment() {
    return Map.of();
  }
}
