package dev.tessera.pipelines.exec;

import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.artifact.ArtifactStore;
import dev.tessera.pipelines.artifact.Verification;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.dag.StageNode;
import dev.tessera.pipelines.spec.Specs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** Computes, without running anything, which stages the cache would serve and what changed since the last run. */
public final class CacheExplainer {
  private final ArtifactStore store;

  public CacheExplainer(ArtifactStore store) {
    this.store = store;
  }

  /**
   * Explains every stage in topological order.
   *
   * @param experiment the experiment with overrides applied
   * @param last the last run of the experiment to compare with, or null
   */
  public List<CacheExplanation> explain(Experiment experiment, RunRecord last) {
    Map<String, Artifact> available = new HashMap<>();
    List<CacheExplanation> out = new ArrayList<>();
    for (StageNode node : experiment.stages()) {
      StageRecord previous = last == null ? null : last.stages.get(node.name());
      List<String> waiting = node.after().stream().filter(d -> !available.containsKey(d)).toList();
      if (!waiting.isEmpty()) {
        out.add(new CacheExplanation(node.name(), null, false,
            "will run, because upstream " + waiting + " will run and its output digest is not known yet",
            previous == null || previous.keyParts == null ? List.of()
                : diff(parts(node.stage(), Map.of(), experiment.seed()), previous.keyParts, false)));
        continue;
      }
      Map<String, String> inputs = new LinkedHashMap<>();
      for (String dependency : node.after()) {
        inputs.put(dependency, available.get(dependency).digest());
      }
      CacheKeyParts parts = parts(node.stage(), ExternalData.withFolders(node.stage(), inputs, store.root()),
          experiment.seed());
      Verification verification = store.verify(parts.key());
      List<String> changes = previous == null || previous.keyParts == null ? List.of()
          : diff(parts, previous.keyParts, true);
      if (verification.usable()) {
        Artifact artifact = verification.artifact().orElseThrow();
        available.put(node.name(), artifact);
        out.add(new CacheExplanation(node.name(), parts, true,
            "cached: artifact from run " + artifact.manifest().runId() + " (stage '" + artifact.manifest().stage()
                + "') verified", changes));
      } else {
        out.add(new CacheExplanation(node.name(), parts, false, "will run: " + verification.reason(), changes));
      }
    }
    return out;
  }

  /**
   * The key parts of a stage with these input digests; the experiment seed joins its environment facts when the
   * stage {@linkplain Stage#usesExperimentSeed() uses it}. The executor keys stages with this too.
   */
  static CacheKeyParts parts(Stage<?> stage, Map<String, String> inputs, long experimentSeed) {
    Map<String, String> environment = stage.environment();
    if (stage.usesExperimentSeed()) {
      environment = new java.util.TreeMap<>(environment);
      environment.put("seed", Long.toString(experimentSeed));
    }
    Fingerprints.Fingerprint code = Fingerprints.ofStage(stage);
    return new CacheKeyParts(stage.kind(), Specs.canonicalJson(stage.spec()), code.digest(), inputs, environment,
        code.parts());
  }

  /** Human-readable differences between the current key parts and the last run's. */
  static List<String> diff(CacheKeyParts now, CacheKeyParts before, boolean compareInputs) {
    List<String> changes = new ArrayList<>();
    if (!Objects.equals(now.stageKind(), before.stageKind())) {
      changes.add("stage kind: " + before.stageKind() + " -> " + now.stageKind());
    }
    if (!Objects.equals(now.spec(), before.spec())) {
      Map<String, String> a = flat(before.spec());
      Map<String, String> b = flat(now.spec());
      for (String key : new TreeSet<>(union(a, b))) {
        if (!Objects.equals(a.get(key), b.get(key))) {
          changes.add("spec " + key + ": " + a.getOrDefault(key, "(absent)") + " -> "
              + b.getOrDefault(key, "(absent)"));
        }
      }
    }
    if (!Objects.equals(now.implementation(), before.implementation())) {
      List<String> named = codeChanges(before.code(), now.code());
      changes.add("implementation: code changed (fingerprint " + shortHash(before.implementation()) + " -> "
          + shortHash(now.implementation()) + ")" + (named.isEmpty() ? "" : ": " + String.join(", ", named)));
    }
    if (compareInputs && !Objects.equals(now.inputs(), before.inputs())) {
      for (String key : new TreeSet<>(union(before.inputs(), now.inputs()))) {
        if (!Objects.equals(before.inputs().get(key), now.inputs().get(key))) {
          changes.add("input '" + key + "': " + shortHash(before.inputs().get(key)) + " -> "
              + shortHash(now.inputs().get(key)));
        }
      }
    }
    if (!Objects.equals(now.environment(), before.environment())) {
      for (String key : new TreeSet<>(union(before.environment(), now.environment()))) {
        if (!Objects.equals(before.environment().get(key), now.environment().get(key))) {
          changes.add("environment " + key + ": " + before.environment().get(key) + " -> "
              + now.environment().get(key));
        }
      }
    }
    return changes;
  }

  /** What differs between two code maps, such as {@code bytecode of com.acme.Helper changed}; at most 10 items. */
  static List<String> codeChanges(Map<String, String> before, Map<String, String> now) {
    List<String> changes = new ArrayList<>();
    if (before.isEmpty()) {
      return changes;
    }
    for (String key : new TreeSet<>(union(before, now))) {
      String was = before.get(key);
      String is = now.get(key);
      if (Objects.equals(was, is)) {
        continue;
      }
      boolean jar = key.startsWith("jar:");
      String what = (jar ? "library " : "") + key.substring(key.indexOf(':') + 1);
      changes.add(was == null ? what + " now used" : is == null ? what + " no longer used"
          : jar ? what + " changed" : "bytecode of " + what + " changed");
    }
    if (changes.size() > 10) {
      int more = changes.size() - 10;
      changes = new ArrayList<>(changes.subList(0, 10));
      changes.add("and " + more + " more");
    }
    return changes;
  }

  private static java.util.Set<String> union(Map<String, String> a, Map<String, String> b) {
    java.util.Set<String> keys = new java.util.HashSet<>(a.keySet());
    keys.addAll(b.keySet());
    return keys;
  }

  private static Map<String, String> flat(String json) {
    try {
      return Specs.flatten("", Specs.mapper().readTree(json));
    } catch (java.io.IOException e) {
      return Map.of("", json);
    }
  }

  /** The first 12 characters of a hash (after any {@code sha256:} prefix), or "(none)". */
  public static String shortHash(String hash) {
    if (hash == null) {
      return "(none)";
    }
    String bare = hash.startsWith("sha256:") ? hash.substring(7) : hash;
    return bare.substring(0, Math.min(12, bare.length()));
  }
}
