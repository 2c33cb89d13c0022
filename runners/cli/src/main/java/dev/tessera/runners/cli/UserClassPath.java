package dev.tessera.runners.cli;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

/**
 * The user's jars and class folders ({@code --classpath} and {@code TESSERA_CLASSPATH}), in a class loader whose
 * parent sees Tessera. Their experiments, models, losses and metrics are found through
 * {@link java.util.ServiceLoader} like the built-ins.
 *
 * @param entries the checked entries, absolute, in the order given ({@code --classpath} first)
 * @param loader sees the entries, then Tessera's own class path
 */
record UserClassPath(List<Path> entries, ClassLoader loader) {

  /** The environment variable read besides {@code --classpath}. */
  static final String VARIABLE = "TESSERA_CLASSPATH";

  /** No user code: Tessera's own class loader. */
  static UserClassPath none() {
    return new UserClassPath(List.of(), UserClassPath.class.getClassLoader());
  }

  /**
   * The entries of every {@code --classpath X} / {@code --classpath=X} in {@code args} and of
   * {@code TESSERA_CLASSPATH}, each a list separated by {@code File.pathSeparator}.
   *
   * @throws UsageException naming an entry that is missing or unreadable
   */
  static UserClassPath from(List<String> args, Map<String, String> environment) {
    List<String> raw = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--")) {
        break;
      }
      if (arg.equals("--classpath") || arg.equals("-cp")) {
        if (i + 1 >= args.size()) {
          throw new UsageException("--classpath needs a value: jars or class folders separated by '"
              + File.pathSeparator + "', for example --classpath target/my-experiments.jar");
        }
        raw.add(args.get(++i));
      } else if (arg.startsWith("--classpath=")) {
        raw.add(arg.substring("--classpath=".length()));
      }
    }
    String variable = environment.get(VARIABLE);
    if (variable != null && !variable.isBlank()) {
      raw.add(variable);
    }
    List<Path> entries = new ArrayList<>();
    List<URL> urls = new ArrayList<>();
    for (String list : raw) {
      for (String item : list.split(File.pathSeparator)) {
        if (item.isBlank()) {
          continue;
        }
        Path path = Path.of(item).toAbsolutePath().normalize();
        check(path, item);
        entries.add(path);
        try {
          urls.add(path.toUri().toURL());
        } catch (MalformedURLException e) {
          throw new UsageException("--classpath entry '" + item + "' is not a usable path: " + e.getMessage());
        }
      }
    }
    if (entries.isEmpty()) {
      return none();
    }
    return new UserClassPath(List.copyOf(entries),
        new URLClassLoader("tessera-user", urls.toArray(URL[]::new), UserClassPath.class.getClassLoader()));
  }

  private static void check(Path path, String given) {
    if (!Files.exists(path)) {
      throw new UsageException("--classpath entry '" + given + "' does not exist (" + path + "). Build your "
          + "experiment library first (mvn package), or fix the path.");
    }
    if (!Files.isReadable(path)) {
      throw new UsageException("--classpath entry '" + given + "' is not readable (" + path + "): check its "
          + "permissions.");
    }
    if (Files.isRegularFile(path)) {
      try (ZipFile zip = new ZipFile(path.toFile())) {
        zip.size();
      } catch (IOException e) {
        throw new UsageException("--classpath entry '" + given + "' is not a readable jar (" + path + "): "
            + e.getMessage() + ". Give a .jar file or a folder of classes.");
      }
    }
  }
}
