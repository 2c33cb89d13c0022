package dev.tessera.stages.sweep;

import java.util.List;

/**
 * Per-rung summaries of a successive-halving sweep, the budget it used, and what the same trials would have used
 * had each trained to the full budget.
 */
public record HalvingReport(List<RungSummary> rungs, double budgetUsed, double budgetWithoutStopping) {
  public HalvingReport {
    rungs = List.copyOf(rungs);
  }
}
