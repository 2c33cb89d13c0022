package dev.tessera.pipelines.extension;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Named extensions of one kind, found through {@link ServiceLoader}: the built-ins and a user's jar register the
 * same way. Two entries with one name are an error that names both classes and where they come from.
 *
 * <pre>{@code
 * Registry<ModelFactory> models = Registry.load("model", ModelFactory.class, loader);
 * Block block = models.get("lenet").newBlock(spec);
 * }</pre>
 *
 * @param <T> the extension point
 */
public final class Registry<T extends Registered> {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]*");

  private final String what;
  private final Map<String, Entry<T>> entries;

  private Registry(String what, Map<String, Entry<T>> entries) {
    this.what = what;
    this.entries = Collections.unmodifiableMap(entries);
  }

  /**
   * One registered extension.
   *
   * @param name its name
   * @param value the extension
   * @param source where its class comes from: {@code built-in (<jar>)} for Tessera's own, else the jar or folder
   */
  public record Entry<T>(String name, T value, String source) {}

  /**
   * Every {@code type} that {@code ServiceLoader} finds through {@code loader}.
   *
   * @param what what an entry is, for messages ({@code experiment}, {@code model})
   * @throws ExtensionException for a duplicate or invalid name, or a provider that cannot be created
   */
  public static <T extends Registered> Registry<T> load(String what, Class<T> type, ClassLoader loader) {
    List<T> found = new ArrayList<>();
    try {
      for (T value : ServiceLoader.load(type, loader)) {
        found.add(value);
      }
    } catch (ServiceConfigurationError e) {
      throw new ExtensionException("Cannot load a registered " + what + " (META-INF/services/" + type.getName()
          + "): " + e.getMessage() + ". Check that the listed class exists, is public and has a public "
          + "no-argument constructor.", e);
    }
    return of(what, found);
  }

  /** A registry of these values (checked like {@link #load}). */
  public static <T extends Registered> Registry<T> of(String what, Collection<? extends T> values) {
    Map<String, Entry<T>> entries = new TreeMap<>();
    for (T value : values) {
      add(what, entries, new Entry<>(value.name(), value, sourceOf(value.getClass())));
    }
    return new Registry<>(what, entries);
  }

  /** A copy with one more entry, such as an experiment compiled from a file. */
  public Registry<T> plus(T value, String source) {
    Map<String, Entry<T>> copy = new TreeMap<>(entries);
    add(what, copy, new Entry<>(value.name(), value, source));
    return new Registry<>(what, copy);
  }

  private static <T> void add(String what, Map<String, Entry<T>> entries, Entry<T> entry) {
    if (entry.name() == null || !NAME.matcher(entry.name()).matches()) {
      throw new ExtensionException("The " + what + " " + entry.value().getClass().getName() + " (" + entry.source()
          + ") has the name '" + entry.name() + "', but names must be lower-case letters, digits, '-', '_' or '.', "
          + "starting with a letter or digit.");
    }
    Entry<T> other = entries.putIfAbsent(entry.name(), entry);
    if (other != null) {
      throw new ExtensionException("Two " + what + "s are named '" + entry.name() + "': "
          + other.value().getClass().getName() + " from " + other.source() + ", and "
          + entry.value().getClass().getName() + " from " + entry.source() + ". Rename one of them.");
    }
  }

  /** The entry of that name, or an error listing the known names. */
  public T get(String name) {
    return find(name).orElseThrow(() -> new ExtensionException("Unknown " + what + " '" + name + "'. Known "
        + what + "s: " + entries.keySet() + ". A " + what + " of your own is registered in your jar's "
        + "META-INF/services."));
  }

  /** The entry of that name, if any. */
  public Optional<T> find(String name) {
    Entry<T> entry = entries.get(name);
    return entry == null ? Optional.empty() : Optional.of(entry.value());
  }

  /** Where the entry of that name comes from. */
  public String source(String name) {
    Entry<T> entry = entries.get(name);
    return entry == null ? null : entry.source();
  }

  /** The names, sorted. */
  public Set<String> names() {
    return entries.keySet();
  }

  /** All entries, sorted by name. */
  public Collection<Entry<T>> entries() {
    return entries.values();
  }

  /**
   * Where a class comes from: {@code built-in (tessera-stages-0.1.0.jar)} for Tessera's own classes, else the
   * path of its jar or class folder.
   */
  public static String sourceOf(Class<?> type) {
    CodeSource code = type.getProtectionDomain().getCodeSource();
    String location = "(unknown location)";
    if (code != null && code.getLocation() != null) {
      try {
        location = Path.of(code.getLocation().toURI()).toString();
      } catch (URISyntaxException | IllegalArgumentException e) {
        location = code.getLocation().toString();
      }
    }
    if (type.getName().startsWith("dev.tessera.")) {
      return "built-in (" + Path.of(location).getFileName() + ")";
    }
    return location;
  }
}
