package dev.tessera.pipelines.exec;

import java.nio.file.Path;
import java.util.Map;

/** Where Tessera keeps artifacts and runs: {@code $TESSERA_HOME}, or {@code .tessera/} in the working directory. */
public final class TesseraHome {
  private TesseraHome() {}

  /** The home directory for an environment (pass {@code System.getenv()}). */
  public static Path resolve(Map<String, String> environment) {
    String configured = environment.get("TESSERA_HOME");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    return Path.of(".tessera").toAbsolutePath().normalize();
  }
}
