package dev.tessera.pipelines.tracking.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchPlannerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<BatchPlanner.Entry> entries(int metrics, int params, int tags, int valueLength) {
    List<BatchPlanner.Entry> out = new ArrayList<>();
    long offset = 0;
    for (int i = 0; i < metrics + params + tags; i++) {
      String type = i < metrics ? "m" : i < metrics + params ? "p" : "g";
      var node = JSON.createObjectNode().put("t", type).put("k", type + i);
      if (type.equals("m")) {
        node.put("v", 1.0).put("s", i).put("ts", i);
      } else {
        node.put("v", "x".repeat(valueLength));
      }
      int bytes = node.toString().length();
      offset += bytes + 1;
      out.add(new BatchPlanner.Entry(node, offset, bytes));
    }
    return out;
  }

  private static List<Integer> sizes(List<BatchPlanner.Entry> all) {
    List<Integer> sizes = new ArrayList<>();
    List<BatchPlanner.Entry> rest = all;
    while (!rest.isEmpty()) {
      BatchPlanner.Batch batch = BatchPlanner.next(rest);
      sizes.add(batch.entries().size());
      rest = rest.subList(batch.entries().size(), rest.size());
    }
    return sizes;
  }

  @Test
  void cutsAtOneThousandMetrics() {
    assertEquals(List.of(1000, 1000, 500), sizes(entries(2500, 0, 0, 0)));
  }

  @Test
  void cutsAtOneHundredParamsAndTags() {
    assertEquals(List.of(100, 100, 50), sizes(entries(0, 250, 0, 1)));
    assertEquals(List.of(100, 50), sizes(entries(0, 0, 150, 1)));
  }

  @Test
  void cutsBelowOneMegabyte() {
    // 100 tags of 7 kB fit the count limit but 150 of them do not fit 900 kB: count first, then bytes.
    List<Integer> sizes = sizes(entries(0, 0, 300, 7000));
    assertEquals(300, sizes.stream().mapToInt(Integer::intValue).sum());
    sizes.forEach(n -> assertEquals(true, n * 7000 < BatchPlanner.MAX_BYTES, sizes.toString()));
  }

  @Test
  void cutsBeforeARepeatedTagKeySoTheLaterValueWins() {
    List<BatchPlanner.Entry> all = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      var node = JSON.createObjectNode().put("t", "g").put("k", i == 2 ? "a" : "k" + i).put("v", "v" + i);
      all.add(new BatchPlanner.Entry(node, i + 1, 10));
    }
    all.add(0, new BatchPlanner.Entry(JSON.createObjectNode().put("t", "g").put("k", "a").put("v", "first"), 0, 10));
    assertEquals(3, BatchPlanner.next(all).entries().size());
  }
}
