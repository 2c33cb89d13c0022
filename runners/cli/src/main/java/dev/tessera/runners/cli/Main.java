package dev.tessera.runners.cli;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.tessera.pipelines.dag.ExperimentValidationException;
import dev.tessera.pipelines.extension.CompileException;
import dev.tessera.pipelines.extension.ExtensionException;
import dev.tessera.pipelines.spec.SpecException;
import dev.tessera.pipelines.tracking.server.TrackingServerException;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * Entry point of {@code tessera}. Builds the one Guice injector and runs the picocli command.
 *
 * <p>Exit codes: 0 success; 1 a stage failed; 2 a usage error (unknown experiment, bad {@code --set}, invalid
 * experiment, an experiment file that does not compile, a bad {@code --classpath} entry, an MLflow server that is
 * unreachable or refuses the credentials); 130 cancelled with Ctrl-C.
 */
public final class Main {
  public static final int OK = 0;
  public static final int STAGE_FAILED = 1;
  public static final int USAGE = 2;
  public static final int CANCELLED = 130;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI and returns its exit code (testable without exiting the JVM). */
  public static int run(String[] args, Map<String, String> given, PrintWriter out, PrintWriter err) {
    AbstractModule tracking;
    UserClassPath userCode;
    Map<String, String> environment;
    try {
      environment = ArtifactRootOption.apply(java.util.List.of(args), given);
      tracking = Tracking.moduleFor(environment, java.util.List.of(args));
      userCode = UserClassPath.from(java.util.List.of(args), environment);
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return USAGE;
    }
    Injector injector = Guice.createInjector(new TesseraModule(environment, tracking, userCode));
    CommandLine commandLine = commandLine(injector, environment);
    commandLine.setOut(out);
    commandLine.setErr(err);
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    // Registries (experiments, models, losses, metrics) and Beam look user code up through this loader.
    thread.setContextClassLoader(userCode.loader());
    try {
      return commandLine.execute(args);
    } finally {
      thread.setContextClassLoader(previous);
      // Commands may print() without a line end, which auto-flush does not cover; main() exits right after.
      out.flush();
      err.flush();
    }
  }

  static CommandLine commandLine(Injector injector, Map<String, String> environment) {
    CommandLine.IFactory factory = new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        if (type.getPackageName().startsWith("dev.tessera")) {
          return injector.getInstance(type);
        }
        return CommandLine.defaultFactory().create(type);
      }
    };
    CommandLine commandLine = new CommandLine(TesseraCommand.class, factory);
    commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
      Throwable cause = exception instanceof com.google.inject.ProvisionException p && p.getCause() != null
          ? p.getCause() : exception;
      if (cause instanceof CompileException compile) {
        cmd.getErr().println(cmd.getColorScheme().errorText("error: " + compile.getMessage()));
        return USAGE;
      }
      if (cause instanceof TrackingServerException || cause instanceof ExtensionException) {
        cmd.getErr().println(cmd.getColorScheme().errorText("error: " + cause.getMessage()));
        return USAGE;
      }
      if (exception instanceof UsageException || exception instanceof SpecException
          || exception instanceof ExperimentValidationException) {
        cmd.getErr().println(cmd.getColorScheme().errorText("error: " + exception.getMessage()));
        return USAGE;
      }
      cmd.getErr().println(cmd.getColorScheme().errorText("error: " + exception));
      exception.printStackTrace(cmd.getErr());
      return STAGE_FAILED;
    });
    return commandLine;
  }
}
