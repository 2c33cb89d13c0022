package dev.tessera.pipelines.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.testing.PythonEnv;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pyarrow, the reference Arrow implementation, reads shards written by {@link ShardWriter}. */
class ShardPyarrowTest {
  @TempDir Path dir;

  @Test
  void pyarrowReadsAJavaShard() throws IOException {
    Path shard = dir.resolve("toy-00000.arrow");
    List<dev.tessera.transforms.sample.Sample> samples = new ArrayList<>(TestSamples.grays(5));
    samples.addAll(TestSamples.mixed());
    ShardWriterTest.write(shard, samples, 4);

    JsonNode gray = read(shard, 3);
    assertEquals(10, gray.get("num_rows").asInt());
    assertEquals(3, gray.get("num_batches").asInt());
    assertEquals(List.of(
        "id string false", "image binary false", "height int32 false", "width int32 false",
        "channels int32 false", "dtype string false", "layout string false", "encoded binary true",
        "label int32 true",
        "boxes list<item: struct<x1: float not null, y1: float not null, x2: float not null, y2: float not null,"
            + " class_id: int32 not null> not null> true",
        "mask binary true", "source string false", "split string false"), fields(gray));
    assertEquals("toy", gray.get("metadata").get("tessera.dataset").asText());
    assertEquals("[\"zero\",\"one\",\"two\"]", gray.get("metadata").get("tessera.classes").asText());
    assertEquals("1", gray.get("metadata").get("tessera.schema_version").asText());

    JsonNode row = gray.get("row");
    assertEquals("toy/train/00003", row.get("id").asText());
    assertEquals("[30,31,32,33,34,35]", row.get("image").toString());
    assertEquals("[3,2,1]", row.get("shape").toString());
    assertEquals(0, row.get("label").asInt());
    assertEquals("uint8", row.get("dtype").asText());
    assertEquals("HWC", row.get("layout").asText());
    assertEquals(true, row.get("boxes").isNull());

    JsonNode boxed = read(shard, 5).get("row");
    assertEquals("toy/train/b0", boxed.get("id").asText());
    assertEquals(true, boxed.get("label").isNull());
    assertEquals("[{\"x1\":0.0,\"y1\":0.5,\"x2\":2.0,\"y2\":1.5,\"class_id\":2},"
        + "{\"x1\":1.0,\"y1\":1.0,\"x2\":1.0,\"y2\":2.0,\"class_id\":0}]", boxed.get("boxes").toString());
    assertEquals("[0,1,1,0]", boxed.get("mask").toString());
    assertEquals("[]", read(shard, 6).get("row").get("boxes").toString());
  }

  private JsonNode read(Path shard, int row) throws IOException {
    Path script = dir.resolve("read_shard.py");
    if (!Files.exists(script)) {
      try (InputStream in = getClass().getClassLoader().getResourceAsStream("python/read_shard.py")) {
        Files.copy(in, script);
      }
    }
    String out = PythonEnv.get().run(script, List.of(shard.toString(), Integer.toString(row)), Map.of());
    return new ObjectMapper().readTree(out);
  }

  private static List<String> fields(JsonNode result) {
    List<String> out = new ArrayList<>();
    result.get("fields").forEach(f -> out.add(f.get(0).asText() + " " + f.get(1).asText() + " " + f.get(2).asText()));
    return out;
  }
}
