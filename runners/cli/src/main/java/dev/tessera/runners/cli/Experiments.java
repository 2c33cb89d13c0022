package dev.tessera.runners.cli;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.dag.ExperimentDefinition;
import dev.tessera.pipelines.extension.ExperimentFile;
import dev.tessera.pipelines.extension.Registry;
import dev.tessera.pipelines.spec.SpecOverride;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.nio.file.Path;
import java.util.List;

/**
 * The experiments a command can name: the registered ones (built-in and from {@code --classpath} jars, found through
 * {@link java.util.ServiceLoader}) and experiment files ({@code path/to/MyExperiment.java}), compiled on first use.
 */
public final class Experiments {
  private final UserClassPath userCode;
  private final Path home;
  private Registry<ExperimentDefinition> registry;

  @Inject
  Experiments(UserClassPath userCode, @Named("tessera.home") Path home) {
    this.userCode = userCode;
    this.home = home;
  }

  /**
   * An experiment definition and where it comes from.
   *
   * @param definition the experiment
   * @param source {@code built-in (<jar>)}, a jar or class folder, or the experiment file's path
   * @param file the experiment file, or null for a registered experiment
   */
  public record Loaded(ExperimentDefinition definition, String source, Path file) {
    /** The text {@code resume} needs to load it again: the file's absolute path, or null. */
    public String fileSource() {
      return file == null ? null : file.toString();
    }
  }

  /** The registered experiments (built-in and from the class path), sorted by name, found on first use. */
  public synchronized Registry<ExperimentDefinition> registered() {
    if (registry == null) {
      registry = Registry.load("experiment", ExperimentDefinition.class, userCode.loader());
    }
    return registry;
  }

  /**
   * The experiment a command names: a registered name, or the path of a {@code .java} file.
   *
   * @throws UsageException for an unknown name
   */
  public Loaded load(String nameOrFile) {
    if (ExperimentFile.isFile(nameOrFile)) {
      Path file = Path.of(nameOrFile).toAbsolutePath().normalize();
      ExperimentDefinition definition = ExperimentFile.load(file, home.resolve("compiled"), userCode.loader());
      registered().plus(definition, file.toString()); // a name clash with a registered experiment is an error
      // The file's own models, losses and metrics are registered in its class folder: registries (and the stage
      // threads, which inherit this loader) look them up through the context class loader.
      Thread.currentThread().setContextClassLoader(definition.getClass().getClassLoader());
      return new Loaded(definition, file.toString(), file);
    }
    ExperimentDefinition definition = registered().find(nameOrFile).orElseThrow(() -> new UsageException(
        "Unknown experiment '" + nameOrFile + "'. Known experiments: " + registered().names()
            + ". Run 'tessera list' to see what each does, give the path of an experiment file (MyExperiment.java),"
            + " or add your experiment library with --classpath."));
    return new Loaded(definition, registered().source(nameOrFile), null);
  }

  /** The experiment with {@code --set} overrides applied (validated again). */
  public Experiment resolve(String nameOrFile, List<String> overrides) {
    return resolve(load(nameOrFile), overrides);
  }

  /** The loaded experiment with {@code --set} overrides applied (validated again). */
  public static Experiment resolve(Loaded loaded, List<String> overrides) {
    return loaded.definition().define().withOverrides(SpecOverride.parseAll(overrides));
  }
}
