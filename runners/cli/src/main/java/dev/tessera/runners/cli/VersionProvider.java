package dev.tessera.runners.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest, or "development" when run from classes. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = TesseraCommand.class.getPackage().getImplementationVersion();
    return new String[] {"tessera " + (version == null ? "development" : version),
        "Java " + System.getProperty("java.version")};
  }
}
