package dev.tessera.runners.cli;

import dev.tessera.runners.cli.console.TextTable;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tessera list}. */
@Command(name = "list", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
    description = {"Lists the experiments this build knows, with a line on each and where each comes from: "
        + "built-in, or a jar or class folder given with --classpath or $TESSERA_CLASSPATH.", "",
        "An experiment file (MyExperiment.java) is not listed: give its path to run, dag, explain-cache."})
final class ListCommand implements Callable<Integer> {
  private final Experiments experiments;
  @Spec CommandSpec spec;

  @Inject
  ListCommand(Experiments experiments) {
    this.experiments = experiments;
  }

  @Override
  public Integer call() {
    TextTable table = new TextTable("EXPERIMENT", "STAGES", "SOURCE", "DESCRIPTION");
    experiments.registered().entries().forEach(entry -> table.row(entry.name(),
        Integer.toString(entry.value().define().stages().size()), entry.source(), entry.value().description()));
    spec.commandLine().getOut().print(table.render());
    return Main.OK;
  }
}
