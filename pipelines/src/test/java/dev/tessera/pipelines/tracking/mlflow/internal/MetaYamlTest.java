package dev.tessera.pipelines.tracking.mlflow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.testing.PythonEnv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetaYamlTest {

  @Test
  void writesSortedKeysAsPyYamlDoes() {
    Map<String, Object> meta = new HashMap<>();
    meta.put("name", "my exp: test");
    meta.put("experiment_id", "140436037901312264");
    meta.put("creation_time", 1795316467966L);
    meta.put("artifact_location", "file:///tmp/pyref/mlruns2/0");
    meta.put("trace_location", null);
    meta.put("tags", List.of());
    meta.put("entry_point_name", "");
    meta.put("workspace", "default");
    // The same bytes PyYAML's safe_dump wrote for these values (MLflow 3.17.2).
    assertEquals(String.join("\n",
        "artifact_location: file:///tmp/pyref/mlruns2/0",
        "creation_time: 1795316467966",
        "entry_point_name: ''",
        "experiment_id: '140436037901312264'",
        "name: 'my exp: test'",
        "tags: []",
        "trace_location: null",
        "workspace: default",
        ""), MetaYaml.format(meta));
  }

  @Test
  void quotesStringsYamlWouldReadAsOtherTypes() {
    assertEquals("'true'", MetaYaml.scalar("true"));
    assertEquals("'No'", MetaYaml.scalar("No"));
    assertEquals("'null'", MetaYaml.scalar("null"));
    assertEquals("'0.5'", MetaYaml.scalar("0.5"));
    assertEquals("'''quoted'", MetaYaml.scalar("'quoted"));
    assertEquals("'#1'", MetaYaml.scalar("#1"));
    assertEquals("\"a\\nb\"", MetaYaml.scalar("a\nb"));
    assertEquals("run-1", MetaYaml.scalar("run-1"));
    assertEquals("mnist lenet", MetaYaml.scalar("mnist lenet"));
    assertEquals("3c4317d75120482e99a7ac7622468b12", MetaYaml.scalar("3c4317d75120482e99a7ac7622468b12"));
    assertEquals("'1234'", MetaYaml.scalar("1234"));
  }

  @Test
  void matchesPyYamlSafeDump(@TempDir Path tmp) throws IOException {
    List<String> samples = List.of("Default", "mnist lenet", "my exp: test", "run-1", "0", "1234", "0123",
        "3c4317d75120482e99a7ac7622468b12", "12345678901234567890123456789012", "1e5", "1.5", ".5", "1_000",
        "0x1F", "true", "True", "tRue", "yes", "y", "n", "off", "null", "~", "", "2024-01-01", "a#b", "a #b",
        "it's", "-a", "a-", "file:///tmp/ml%20runs/0", "/abs/path", "a:b", "a: b", "trailing:", "x=y", "=",
        "größe", "tab\there", "a, b", "@at", "50%", "1:20", "+1", "user.name", "-", "- a", "a'", "#a", "ü", "a - b", "-1", "-.5", "_x");
    StringBuilder ours = new StringBuilder();
    for (String sample : samples) {
      ours.append(MetaYaml.format(Map.of("k", sample)));
    }
    Path in = tmp.resolve("samples.json");
    new ObjectMapper().writeValue(in.toFile(), samples);
    Path script = Files.writeString(tmp.resolve("dump.py"), String.join("\n",
        "import json, sys, yaml",
        "for value in json.load(open(sys.argv[1], encoding='utf-8')):",
        "    sys.stdout.write(yaml.dump({'k': value}, default_flow_style=False, allow_unicode=True,",
        "        sort_keys=True, Dumper=yaml.SafeDumper))",
        ""));
    String python = PythonEnv.get().run(script, List.of(in.toString()), Map.of("PYTHONIOENCODING", "utf-8"));
    assertEquals(python, ours.toString());
  }

  @Test
  void readsWhatItWritesAndWhatPyYamlWrites() {
    Map<String, Object> meta = new HashMap<>();
    meta.put("a", "it's: \"quoted\"");
    meta.put("b", "line\nbreak\ttab");
    meta.put("c", 42L);
    meta.put("d", null);
    meta.put("e", "'0'");
    meta.put("f", List.of());
    meta.put("g", "plain text");
    assertEquals(meta, MetaYaml.parse(MetaYaml.format(meta), "test"));

    // PyYAML folds long quoted scalars onto indented continuation lines.
    Map<String, Object> folded = MetaYaml.parse(
        "name: 'a very long experiment name that PyYAML folded\n  onto a second line'\nstatus: 3\n", "test");
    assertEquals("a very long experiment name that PyYAML folded onto a second line", folded.get("name"));
    assertEquals(3L, folded.get("status"));
  }

  @Test
  void writesAndReadsStringMapsAsBlocksTheWayMlflowWritesAliasesAndInputTags() {
    Map<String, Object> meta = new java.util.LinkedHashMap<>();
    meta.put("aliases", Map.of("champion", "1", "challenger", "12"));
    meta.put("empty", Map.of());
    meta.put("name", "mnist-lenet");
    // What MLflow 3.17.2 writes for a registered model with two aliases.
    String text = String.join("\n",
        "aliases:",
        "  challenger: '12'",
        "  champion: '1'",
        "empty: {}",
        "name: mnist-lenet",
        "");
    assertEquals(text, MetaYaml.format(meta));
    Map<String, Object> read = MetaYaml.parse(text, "test");
    assertEquals(Map.of("champion", "1", "challenger", "12"), read.get("aliases"));
    assertEquals(Map.of(), read.get("empty"));
    assertEquals("mnist-lenet", read.get("name"));
  }
}
