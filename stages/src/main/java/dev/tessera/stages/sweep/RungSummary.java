package dev.tessera.stages.sweep;

import java.util.List;

/**
 * What happened at one rung: how many trials reported there, which went on, which were stopped there, and the
 * budget spent reaching it (each trial resumes from its checkpoint of the rung below, so it pays the difference).
 */
public record RungSummary(int rung, double budget, int reported, List<String> promoted, List<String> stopped,
    double budgetUsed) {
  public RungSummary {
    promoted = List.copyOf(promoted);
    stopped = List.copyOf(stopped);
  }
}
