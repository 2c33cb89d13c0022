package dev.tessera.pipelines.extension;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * The registries seen from the current thread's context class loader, loaded once per loader. Stages and Beam
 * workers look extensions up here (a worker has no injector); the CLI sets the context class loader to one that
 * sees the {@code --classpath} jars.
 *
 * <pre>{@code
 * ModelFactory lenet = Registries.of("model", ModelFactory.class).get("lenet");
 * }</pre>
 */
public final class Registries {
  private static final Map<ClassLoader, Map<Class<?>, Registry<?>>> LOADED = new WeakHashMap<>();

  private Registries() {}

  /** The registry of {@code type} for the context class loader (this class's loader when there is none). */
  @SuppressWarnings("unchecked")
  public static synchronized <T extends Registered> Registry<T> of(String what, Class<T> type) {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    ClassLoader loader = context != null ? context : Registries.class.getClassLoader();
    return (Registry<T>) LOADED.computeIfAbsent(loader, l -> new java.util.HashMap<>())
        .computeIfAbsent(type, t -> Registry.load(what, type, loader));
  }
}
