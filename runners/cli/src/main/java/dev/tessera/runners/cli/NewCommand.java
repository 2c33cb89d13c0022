package dev.tessera.runners.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tessera new <name>}: scaffolds a user's experiment library. */
@Command(name = "new", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
    description = {
        "Creates a Maven project for your own experiments: a pom importing tessera-bom, one experiment, one stage "
            + "of your own, the META-INF/services registration, and a JUnit 5 test that runs the experiment on a "
            + "tiny synthetic dataset. It builds and passes its test as made (mvn verify), once Tessera's "
            + "artifacts are in your local Maven repository (./mvnw install in Tessera's checkout)."},
    footer = {"", "Example:", "  tessera new demo-project && cd demo-project && mvn verify",
        "  tessera run --classpath demo-project/target/demo-project.jar demo-project --set ingest.path=images/"})
final class NewCommand implements Callable<Integer> {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");
  private static final Pattern PACKAGE = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*");
  private static final String TEMPLATES = "/dev/tessera/runners/cli/new-project/";

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME",
      description = "The project's folder, artifact and experiment name: lower case, digits and '-'.")
  String name;

  @Option(names = "--package", paramLabel = "PACKAGE",
      description = "Java package of the generated classes (default: com.example.<name without '-'>).")
  String javaPackage;

  @Option(names = "--group-id", paramLabel = "GROUP", defaultValue = "com.example",
      description = "Maven groupId (default: ${DEFAULT-VALUE}).")
  String groupId;

  @Option(names = "--directory", paramLabel = "DIR",
      description = "Where to create the project (default: ./<name>); must not exist yet.")
  Path directory;

  @Override
  public Integer call() throws IOException {
    if (!NAME.matcher(name).matches()) {
      throw new UsageException("NAME must be lower-case letters, digits and '-', starting with a letter, but was '"
          + name + "' (for example demo-project).");
    }
    String pkg = javaPackage != null ? javaPackage : "com.example." + name.replace("-", "");
    if (!PACKAGE.matcher(pkg).matches()) {
      throw new UsageException("--package must be a Java package name such as com.acme.vision, but was '" + pkg
          + "'.");
    }
    Path root = (directory != null ? directory : Path.of(name)).toAbsolutePath().normalize();
    if (Files.exists(root)) {
      throw new UsageException("'" + root + "' already exists; give another NAME or --directory.");
    }
    String className = className(name) + "Experiment";
    Properties build = buildProperties();
    Map<String, String> values = new LinkedHashMap<>();
    values.put("@NAME@", name);
    values.put("@GROUP@", groupId);
    values.put("@PACKAGE@", pkg);
    values.put("@CLASS@", className);
    values.put("@TESSERA_VERSION@", build.getProperty("version"));
    values.put("@JVM_FLAGS@", build.getProperty("jvm.flags"));
    values.put("@COMPILER_PLUGIN@", build.getProperty("compiler.plugin"));
    values.put("@SUREFIRE_PLUGIN@", build.getProperty("surefire.plugin"));
    values.put("@RESOURCES_PLUGIN@", build.getProperty("resources.plugin"));
    values.put("@JAR_PLUGIN@", build.getProperty("jar.plugin"));
    values.put("@INSTALL_PLUGIN@", build.getProperty("install.plugin"));
    Path sources = root.resolve("src/main/java").resolve(pkg.replace('.', '/'));
    Path tests = root.resolve("src/test/java").resolve(pkg.replace('.', '/'));
    write(root.resolve("pom.xml"), "pom.xml.tmpl", values);
    write(root.resolve("README.md"), "README.md.tmpl", values);
    write(sources.resolve(className + ".java"), "Experiment.java.tmpl", values);
    write(sources.resolve("MeanBrightness.java"), "MeanBrightness.java.tmpl", values);
    write(tests.resolve(className + "Test.java"), "ExperimentTest.java.tmpl", values);
    Path services = root.resolve("src/main/resources/META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve("dev.tessera.pipelines.dag.ExperimentDefinition"), pkg + "." + className
        + "\n");
    var out = spec.commandLine().getOut();
    out.println("Created " + root + " (experiment '" + name + "', class " + pkg + "." + className + ").");
    out.println("Next:  cd " + root + " && mvn verify");
    out.println("Then:  tessera run --classpath " + root.resolve("target/" + name + ".jar") + " " + name
        + " --set ingest.path=<your image folder>");
    return Main.OK;
  }

  /** {@code demo-project} → {@code DemoProject}. */
  static String className(String name) {
    StringBuilder text = new StringBuilder();
    for (String part : name.split("-")) {
      if (!part.isEmpty()) {
        text.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
      }
    }
    return text.toString();
  }

  private static void write(Path file, String template, Map<String, String> values) throws IOException {
    String text;
    try (InputStream in = NewCommand.class.getResourceAsStream(TEMPLATES + template)) {
      if (in == null) {
        throw new IllegalStateException("template " + template + " is missing from the CLI's jar");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (Map.Entry<String, String> value : values.entrySet()) {
      text = text.replace(value.getKey(), value.getValue());
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  /** The version, JVM flags and plugin versions of this build (resource filtering). */
  static Properties buildProperties() {
    Properties properties = new Properties();
    try (InputStream in = NewCommand.class.getResourceAsStream("build.properties")) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }
}
