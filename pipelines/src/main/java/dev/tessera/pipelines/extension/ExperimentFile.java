package dev.tessera.pipelines.extension;

import dev.tessera.pipelines.artifact.Digests;
import dev.tessera.pipelines.dag.ExperimentDefinition;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * An experiment written as a single Java file ({@code tessera run path/to/MyExperiment.java}), compiled at run time
 * with the JDK's compiler against Tessera's class path.
 *
 * <p>The file's folder (or, when the file declares a package, the folder that holds the package's folders) is the
 * source path: classes of other files there that the experiment uses are compiled with it. The classes land in
 * {@code <cache>/<digest>/}, where the digest covers the sources in the file's folder and the class path, so an
 * unchanged file is not compiled again; since they come from a folder, the cache key of every stage they define
 * follows their bytecode. The file must define exactly one public class implementing {@link ExperimentDefinition}
 * with a public no-argument constructor.
 *
 * <pre>{@code
 * ExperimentDefinition definition = ExperimentFile.load(Path.of("MyExperiment.java"), cacheDir, parentLoader);
 * }</pre>
 */
public final class ExperimentFile {
  private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");

  private ExperimentFile() {}

  /** Whether a command-line argument names an experiment file rather than a registered experiment. */
  public static boolean isFile(String argument) {
    return argument.endsWith(".java");
  }

  /**
   * Compiles (or reuses) the file and instantiates the experiment it defines.
   *
   * @param file the {@code .java} file
   * @param cache where compiled classes are kept, such as {@code $TESSERA_HOME/compiled}
   * @param parent the class loader that sees Tessera and any {@code --classpath} jars
   * @throws CompileException with the compiler's messages as {@code file:line: error: message}
   * @throws ExtensionException when the file is missing or does not define exactly one experiment
   */
  public static ExperimentDefinition load(Path file, Path cache, ClassLoader parent) {
    Path source = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(source)) {
      throw new ExtensionException("Experiment file " + file + " does not exist (or is not a file). Give the path "
          + "of a .java file that defines one ExperimentDefinition, or the name of a registered experiment.");
    }
    Path root = sourceRoot(source);
    String classPath = classPath(parent);
    Path classes = compile(source, root, classPath, cache, parent);
    URLClassLoader loader;
    try {
      loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, parent);
    } catch (MalformedURLException e) {
      throw new UncheckedIOException(e);
    }
    return definitionIn(loader, classes, source);
  }

  /** The folder holding the top of the file's package tree. */
  static Path sourceRoot(Path source) {
    String text = read(source);
    Matcher matcher = PACKAGE.matcher(text);
    Path root = source.getParent();
    if (matcher.find()) {
      String pkg = matcher.group(1);
      Path expected = Path.of("", pkg.split("\\."));
      if (!root.endsWith(expected)) {
        throw new ExtensionException(source + " declares package " + pkg + " but is not in a folder "
            + expected + ". Move it into " + expected + "/ under your source folder, or remove the package line.");
      }
      for (int i = 0; i < expected.getNameCount(); i++) {
        root = root.getParent();
      }
    }
    return root;
  }

  private static Path compile(Path source, Path root, String classPath, Path cache, ClassLoader parent) {
    String digest = Digests.sha256Hex(sourcesFingerprint(source, root) + "\n" + classPath).substring(0, 24);
    Path out = cache.resolve(digest);
    if (Files.isDirectory(out)) {
      return out;
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler == null) {
      throw new ExtensionException("Compiling " + source + " needs the JDK's compiler, but this Java ("
          + System.getProperty("java.home") + ") is a runtime without it. Run Tessera with a JDK 17+ (set "
          + "JAVA_HOME), or package the experiment in a jar and use --classpath.");
    }
    try {
      Files.createDirectories(cache);
      Path staging = Files.createTempDirectory(cache, ".compiling-");
      DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
      StringWriter output = new StringWriter();
      boolean ok;
      try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
          StandardCharsets.UTF_8)) {
        List<String> options = List.of("-d", staging.toString(), "-sourcepath", root.toString(),
            "-classpath", classPath, "-implicit:class", "-proc:none", "-encoding", "UTF-8", "-Xlint:none");
        ok = compiler.getTask(output, files, diagnostics, options, null, files.getJavaFileObjects(source.toFile()))
            .call();
      }
      if (!ok) {
        deleteTree(staging);
        List<String> lines = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
          if (d.getKind() == Diagnostic.Kind.ERROR) {
            String where = d.getSource() == null ? ""
                : Path.of(d.getSource().toUri()) + ":" + d.getLineNumber() + ": ";
            lines.add(where + "error: " + d.getMessage(Locale.ROOT));
          }
        }
        throw new CompileException(source + " does not compile (" + lines.size() + " error"
            + (lines.size() == 1 ? "" : "s") + "):", lines);
      }
      registerExtensions(staging, parent);
      try {
        Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException raced) {
        deleteTree(staging); // another process compiled the same sources first
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot compile " + source + " into " + cache, e);
    }
  }

  /**
   * Names and contents of the .java files the compiler may read: those in the file's folder, or, for a file in a
   * package, those below the source root.
   */
  private static String sourcesFingerprint(Path source, Path root) {
    StringBuilder text = new StringBuilder(source.toString()).append('\n');
    int depth = root.equals(source.getParent()) ? 1 : 16;
    try (Stream<Path> files = Files.walk(root, depth)) {
      files.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p)).sorted()
          .forEach(p -> text.append(root.relativize(p)).append(' ').append(Digests.sha256Hex(read(p))).append('\n'));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the sources beside " + source, e);
    }
    return text.toString();
  }

  /**
   * Writes {@code META-INF/services} entries for the public classes of the file that implement an extension point
   * (a model, loss or metric: any interface extending {@link Registered}, except {@link ExperimentDefinition}), so
   * that a single file can define its own and the registries find them like a jar's.
   */
  private static void registerExtensions(Path classes, ClassLoader parent) throws IOException {
    java.util.Map<String, List<String>> services = new java.util.TreeMap<>();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, parent);
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
        String name = classes.relativize(file).toString().replace(File.separatorChar, '.');
        Class<?> type;
        try {
          type = Class.forName(name.substring(0, name.length() - ".class".length()), false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
          continue;
        }
        if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())
            || type.isInterface() || (type.isMemberClass() && !Modifier.isStatic(type.getModifiers()))) {
          continue;
        }
        for (Class<?> point : extensionPoints(type)) {
          services.computeIfAbsent(point.getName(), k -> new ArrayList<>()).add(type.getName());
        }
      }
    }
    Path dir = classes.resolve("META-INF/services");
    for (var entry : services.entrySet()) {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(entry.getKey()), String.join("\n", entry.getValue()) + "\n");
    }
  }

  private static java.util.Set<Class<?>> extensionPoints(Class<?> type) {
    java.util.Set<Class<?>> points = new java.util.LinkedHashSet<>();
    java.util.Deque<Class<?>> queue = new java.util.ArrayDeque<>();
    for (Class<?> t = type; t != null; t = t.getSuperclass()) {
      queue.addAll(List.of(t.getInterfaces()));
    }
    while (!queue.isEmpty()) {
      Class<?> i = queue.poll();
      if (i != Registered.class && i != ExperimentDefinition.class && Registered.class.isAssignableFrom(i)) {
        points.add(i);
      }
      queue.addAll(List.of(i.getInterfaces()));
    }
    return points;
  }

  private static ExperimentDefinition definitionIn(ClassLoader loader, Path classes, Path source) {
    List<Class<?>> found = new ArrayList<>();
    List<String> all = new ArrayList<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
        String name = classes.relativize(file).toString().replace(File.separatorChar, '.');
        name = name.substring(0, name.length() - ".class".length());
        if (name.contains("$")) {
          continue;
        }
        all.add(name);
        Class<?> type = Class.forName(name, false, loader);
        if (ExperimentDefinition.class.isAssignableFrom(type) && !type.isInterface()
            && !Modifier.isAbstract(type.getModifiers())) {
          found.add(type);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the classes compiled from " + source, e);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ExtensionException("cannot load the classes compiled from " + source + ": " + e, e);
    }
    if (found.size() != 1) {
      throw new ExtensionException(source + " must define exactly one class implementing ExperimentDefinition, "
          + "but " + (found.isEmpty() ? "defines none" : "defines " + found.size() + ": "
          + found.stream().map(Class::getName).toList()) + " (classes compiled: " + all + ").");
    }
    Class<?> type = found.get(0);
    try {
      return (ExperimentDefinition) type.getConstructor().newInstance();
    } catch (NoSuchMethodException e) {
      throw new ExtensionException(type.getName() + " in " + source + " needs a public no-argument constructor.", e);
    } catch (ReflectiveOperationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new ExtensionException("cannot create " + type.getName() + " from " + source + ": " + cause, cause);
    }
  }

  /** The class path the compiler sees: the JVM's, plus the URLs of any child class loaders up to {@code loader}. */
  static String classPath(ClassLoader loader) {
    List<String> entries = new ArrayList<>();
    for (ClassLoader l = loader; l != null; l = l.getParent()) {
      if (l instanceof URLClassLoader urls && l != ClassLoader.getSystemClassLoader()) {
        for (URL url : urls.getURLs()) {
          try {
            entries.add(Path.of(url.toURI()).toString());
          } catch (Exception e) {
            // not a file URL: the compiler cannot use it
          }
        }
      }
    }
    entries.add(System.getProperty("java.class.path"));
    return String.join(File.pathSeparator, entries);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
