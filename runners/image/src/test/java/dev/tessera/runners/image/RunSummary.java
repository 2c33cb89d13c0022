package dev.tessera.runners.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

/** The summary table that {@code tessera run ... --plain} prints at its end, as the image tests compare it. */
final class RunSummary {
  private RunSummary() {}

  /**
   * The table's rows without their time column (stage, status, items, result, space-separated), in the printed
   * order; fails when {@code output} holds no table.
   */
  static List<String> stageLines(String output) {
    List<String> rows = new ArrayList<>();
    boolean inTable = false;
    for (String line : output.lines().toList()) {
      if (line.strip().startsWith("STAGE ")) {
        inTable = true;
      } else if (inTable && line.isBlank()) {
        break;
      } else if (inTable) {
        List<String> cells = new ArrayList<>(List.of(line.strip().split("\\s+")));
        cells.remove(2);
        rows.add(String.join(" ", cells));
      }
    }
    assertTrue(rows.size() > 0, "a run summary table in:\n" + output);
    return rows;
  }
}
