package dev.tessera.stages.sweep;

/** A decision to continue {@code trial} from rung {@code fromRung} to the next rung, whose budget is given. */
public record Promotion(String trial, int fromRung, int toRung, double budget) {}
