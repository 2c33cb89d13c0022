package dev.tessera.pipelines.extension;

import java.util.List;

/** An experiment file that does not compile; the message holds the compiler's diagnostics, one per line. */
public final class CompileException extends RuntimeException {
  private final List<String> diagnostics;

  public CompileException(String message, List<String> diagnostics) {
    super(message + (diagnostics.isEmpty() ? "" : "\n" + String.join("\n", diagnostics)));
    this.diagnostics = List.copyOf(diagnostics);
  }

  /** The compiler's diagnostics as {@code file:line: error: message}. */
  public List<String> diagnostics() {
    return diagnostics;
  }
}
