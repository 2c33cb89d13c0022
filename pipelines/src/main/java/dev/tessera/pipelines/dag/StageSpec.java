package dev.tessera.pipelines.dag;

/**
 * The immutable settings of one stage, as a Java record.
 *
 * <p>A spec validates single values in its compact constructor, naming the parameter, the value and what is
 * allowed. Specs serialize to canonical JSON (record components become keys), flatten to {@code stage.key=value}
 * params, and accept {@code --set stage.key=value} overrides; see {@link dev.tessera.pipelines.spec.Specs}.
 */
public interface StageSpec {}
