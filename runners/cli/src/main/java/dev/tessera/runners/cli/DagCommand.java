package dev.tessera.runners.cli;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.dag.StageNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tessera dag <experiment>}. */
@Command(name = "dag", mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {"Shows an experiment's stages and how artifacts flow between them.",
        "",
        "As a text tree, or as a Mermaid flowchart to paste into Markdown (GitHub renders it)."},
    footer = {"", "Examples:", "  tessera dag mnist-lenet", "  tessera dag mnist-lenet --format mermaid > dag.mmd"})
final class DagCommand implements Callable<Integer> {
  enum Format { text, mermaid }

  private final Experiments experiments;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "Experiment name (see 'tessera list').")
  String experimentName;

  @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
      description = "text or mermaid (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--set", paramLabel = "PATH=VALUE", description = "Overrides, as for 'run'.")
  List<String> overrides = new ArrayList<>();

  @Inject
  DagCommand(Experiments experiments) {
    this.experiments = experiments;
  }

  @Override
  public Integer call() {
    Experiment experiment = experiments.resolve(experimentName, overrides);
    PrintWriter out = spec.commandLine().getOut();
    out.print(format == Format.mermaid ? mermaid(experiment) : tree(experiment));
    out.flush();
    return Main.OK;
  }

  /** A tree from the source stages down; a stage reached a second time is shown once, then referred to. */
  static String tree(Experiment experiment) {
    StringBuilder out = new StringBuilder();
    out.append(experiment.name()).append(" (").append(experiment.stages().size()).append(" stages, seed ")
        .append(experiment.seed()).append(")\n");
    Set<String> shown = new HashSet<>();
    List<StageNode> roots = experiment.stages().stream().filter(s -> s.after().isEmpty()).toList();
    for (int i = 0; i < roots.size(); i++) {
      branch(experiment, roots.get(i), "", i == roots.size() - 1, shown, out);
    }
    return out.toString();
  }

  private static void branch(Experiment experiment, StageNode node, String indent, boolean last, Set<String> shown,
      StringBuilder out) {
    out.append(indent).append(last ? "└── " : "├── ").append(node.name());
    if (!shown.add(node.name())) {
      out.append(" (see above)\n");
      return;
    }
    out.append("  [").append(node.stage().kind()).append(" → ").append(node.stage().output()).append(']');
    if (node.after().size() > 1) {
      out.append("  reads ").append(String.join(", ", node.after()));
    }
    out.append('\n');
    List<StageNode> children = experiment.stages().stream().filter(s -> s.after().contains(node.name())).toList();
    for (int i = 0; i < children.size(); i++) {
      branch(experiment, children.get(i), indent + (last ? "    " : "│   "), i == children.size() - 1, shown, out);
    }
  }

  static String mermaid(Experiment experiment) {
    StringBuilder out = new StringBuilder("flowchart TD\n");
    for (StageNode node : experiment.stages()) {
      out.append("  ").append(id(node.name())).append("[\"").append(node.name()).append("<br/><small>")
          .append(node.stage().kind()).append("</small>\"]\n");
    }
    for (StageNode node : experiment.stages()) {
      for (String dependency : node.after()) {
        out.append("  ").append(id(dependency)).append(" -->|")
            .append(experiment.stage(dependency).stage().output()).append("| ").append(id(node.name()))
            .append('\n');
      }
    }
    return out.toString();
  }

  private static String id(String stage) {
    return stage.replace('-', '_');
  }
}
