package dev.tessera.runners.cli.datasets;

import picocli.CommandLine.Command;

/** {@code tessera datasets}: works with the catalog's datasets. */
@Command(name = "datasets", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
    description = "Works with the catalog's datasets (mnist, fashion-mnist, ...).",
    subcommands = {DatasetsExportCommand.class})
public final class DatasetsCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
