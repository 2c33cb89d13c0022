package dev.tessera.runners.cli;

import dev.tessera.pipelines.tracking.registry.ModelReference;
import dev.tessera.pipelines.tracking.registry.ModelResolver;
import dev.tessera.pipelines.tracking.registry.ResolvedModel;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tessera mlflow model champion:<experiment>}: which registered version that is, and where its files are. */
@Command(name = "model", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
    description = {"Resolves a registered model version (\"the champion of X\") in the tracker's Model Registry and "
        + "prints its version, run and local directory; a server's version is downloaded into "
        + "$TESSERA_HOME/models first."},
    footer = {"", "Examples:", "  tessera mlflow model champion:mnist-lenet",
        "  tessera mlflow model models:/mnist-lenet@challenger", "  tessera mlflow model models:/mnist-lenet/3"})
final class MlflowModelCommand implements Callable<Integer> {
  private final Workspace workspace;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL",
      description = "champion:<experiment>, <alias>:<experiment>, models:/<model>@<alias> or models:/<model>/<n>.")
  String reference;

  @Inject
  MlflowModelCommand(Workspace workspace) {
    this.workspace = workspace;
  }

  @Override
  public Integer call() {
    ResolvedModel model;
    try {
      model = new ModelResolver(workspace.registry(), workspace.home().resolve("models"))
          .resolve(ModelReference.parse(reference));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(model.reference() + " -> " + model.version().name() + " version " + model.version().version()
        + " (MLflow run " + model.version().runId() + ", aliases " + model.version().aliases() + ")");
    out.println("Files: " + model.directory());
    out.flush();
    return Main.OK;
  }
}
