package dev.tessera.runners.cli;

import dev.tessera.runners.cli.console.TextTable;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tessera list}. */
@Command(name = "list", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
    description = "Lists the experiments this build knows, with a line on each.")
final class ListCommand implements Callable<Integer> {
  private final Experiments experiments;
  @Spec CommandSpec spec;

  @Inject
  ListCommand(Experiments experiments) {
    this.experiments = experiments;
  }

  @Override
  public Integer call() {
    TextTable table = new TextTable("EXPERIMENT", "STAGES", "DESCRIPTION");
    experiments.all().forEach((name, definition) ->
        table.row(name, Integer.toString(definition.define().stages().size()), definition.description()));
    spec.commandLine().getOut().print(table.render());
    return Main.OK;
  }
}
