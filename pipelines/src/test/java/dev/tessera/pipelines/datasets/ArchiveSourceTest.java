package dev.tessera.pipelines.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tessera.pipelines.artifact.Digests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive source of {@link DatasetCatalog}, against a real HTTP server on this machine serving zips built by
 * the test: from the mirror's BCCD and coco128 files in their upstream layouts (skipped without
 * {@code TESSERA_DATA_MIRROR}), and small synthetic ones for corrupt, malicious and pinned archives.
 */
class ArchiveSourceTest {
  @TempDir Path tmp;
  private HttpServer server;
  private final Map<String, byte[]> served = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    // Like github.com, which redirects archive downloads to another host.
    server.createContext("/redirect/", exchange -> {
      exchange.getResponseHeaders().add("Location", exchange.getRequestURI().getPath().substring("/redirect".length()));
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    });
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      byte[] body = served.get(exchange.getRequestURI().getPath());
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private URI serve(String path, byte[] zip) {
    served.put(path, zip);
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private DataSettings settings() {
    return new DataSettings(tmp.resolve("cache"), null, Duration.ofSeconds(5), Duration.ofSeconds(5), true, false);
  }

  private static Path mirror(String dataset) {
    String mirror = System.getenv(DataSettings.MIRROR_ENV);
    assumeTrue(mirror != null && Files.isDirectory(Path.of(mirror, dataset)), "TESSERA_DATA_MIRROR is not set or "
        + "has no " + dataset + "/: this test zips the real files of the offline mirror");
    return Path.of(mirror, dataset);
  }

  private static byte[] zip(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(e.getKey()));
        if (e.getValue() != null) {
          out.write(e.getValue());
        }
        out.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** Every file of the mirror's dataset folder, keyed by {@code rename} of its relative path (null drops it). */
  private static Map<String, byte[]> filesOf(Path folder, java.util.function.UnaryOperator<String> rename)
      throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        String name = rename.apply(folder.relativize(p).toString().replace('\\', '/'));
        if (name != null) {
          entries.put(name, Files.readAllBytes(p));
        }
      }
    }
    return entries;
  }

  /** Everything under the cache root, hidden staging and download files included. */
  private List<String> cacheListing() throws IOException {
    Path root = tmp.resolve("cache");
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }

  @Test
  void resolvesBccdFromItsGithubArchiveFollowingTheRedirectWithProgress() throws IOException {
    Path bccd = mirror("bccd");
    String top = "BCCD_Dataset-" + DatasetCatalog.BCCD_COMMIT + "/";
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put(top, null); // a directory entry, as in GitHub's archives
    filesOf(bccd, name -> top + name).forEach(entries::put);
    entries.put(top + "scripts/export.py", "print('not part of the dataset')".getBytes(StandardCharsets.UTF_8));
    byte[] archive = zip(entries);
    String path = "/Shenggan/BCCD_Dataset/archive/" + DatasetCatalog.BCCD_COMMIT + ".zip";
    serve(path, archive);
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/redirect" + path);
    DatasetEntry entry = DatasetCatalog.BCCD.withArchives(List.of(DatasetCatalog.BCCD.archives().get(0).withUri(url)));
    AtomicLong lastDone = new AtomicLong();
    AtomicLong lastTotal = new AtomicLong();
    DatasetCatalog catalog = DatasetCatalog.of(settings(), List.of(entry)).withProgress((file, done, total) -> {
      lastDone.set(done);
      lastTotal.set(total);
    });

    Path dir = catalog.resolve("bccd");

    assertEquals(1, requests.get(), "one download for all 734 files");
    assertEquals(archive.length, lastDone.get(), "progress reached the archive's size");
    assertEquals(archive.length, lastTotal.get());
    for (DatasetFile file : entry.files()) {
      assertEquals(file.sha256(), Digests.sha256Hex(dir.resolve(file.name())), file.name());
    }
    assertArrayEquals(Files.readAllBytes(bccd.resolve("BCCD/Annotations/BloodImage_00000.xml")),
        Files.readAllBytes(dir.resolve("BCCD/Annotations/BloodImage_00000.xml")));
    assertFalse(Files.exists(dir.resolve("scripts")), "entries outside the catalog are not unpacked");
    assertTrue(cacheListing().stream().allMatch(p -> p.startsWith("bccd")), "no staging or download left: "
        + cacheListing().stream().filter(p -> !p.startsWith("bccd")).toList());
    catalog.resolve("bccd");
    assertEquals(1, requests.get(), "the second resolve is served by the cache");
  }

  @Test
  void takesCoco128sImagesAndLabelsFromTheUltralyticsLayoutButNotTheCocoJson() throws IOException {
    Path coco = mirror("coco128");
    // Ultralytics' layout: coco128/images/train2017/, coco128/labels/train2017/; no COCO JSON.
    byte[] archive = zip(filesOf(coco, name -> name.startsWith("annotations/") ? null : "coco128/"
        + name.replace("images/train/", "images/train2017/").replace("labels/train/", "labels/train2017/")));
    URI url = serve("/ultralytics/coco128.zip", archive);
    DatasetArchive upstream = DatasetCatalog.COCO128.archives().get(0).withUri(url);
    DatasetEntry entry = DatasetCatalog.COCO128.withArchives(List.of(upstream));
    DatasetCatalog catalog = DatasetCatalog.of(settings().withProgress(false), List.of(entry));

    DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class, () -> catalog.resolve("coco128"));
    assertEquals("annotations/instances_train2017.json", e.file());
    assertTrue(e.attempts().contains("archive " + url + ": has no annotations/instances_train2017.json (unpacked 258 "
        + "of the dataset's files)"), e.attempts().toString());
    Path dir = catalog.cacheDir("coco128");
    assertEquals(Digests.sha256Hex(coco.resolve("images/train/000000000009.jpg")),
        Digests.sha256Hex(dir.resolve("images/train/000000000009.jpg")));

    Files.createDirectories(dir.resolve("annotations"));
    Files.copy(coco.resolve("annotations/instances_train2017.json"),
        dir.resolve("annotations/instances_train2017.json"));
    assertEquals(dir, catalog.resolve("coco128"));
    assertEquals(1, requests.get(), "the files unpacked before are reused from the cache");
  }

  // Synthetic archives: a two-file dataset "toy" in the folder "toy-1/" of the zip.
  private final byte[] first = random(20_000, 1);
  private final byte[] second = random(5_000, 2);

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private DatasetEntry toy(DatasetArchive archive) {
    return new DatasetEntry("toy", "test fixture", List.of(new DatasetFile("a.bin", Digests.sha256Hex(first)),
        new DatasetFile("sub/b.bin", Digests.sha256Hex(second))), List.of(), List.of(), List.of(archive));
  }

  private Map<String, byte[]> toyEntries() {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("toy-1/a.bin", first);
    entries.put("toy-1/sub/b.bin", second);
    return entries;
  }

  private DatasetUnavailableException failing(URI url) {
    DatasetCatalog catalog = DatasetCatalog.of(settings().withProgress(false),
        List.of(toy(DatasetArchive.zip(url, "toy-1/"))));
    return assertThrows(DatasetUnavailableException.class, () -> catalog.resolve("toy"));
  }

  @Test
  void rejectsAnArchiveWithAChangedFileNamingTheFileAndUrlAndInstallsNothing() throws IOException {
    Map<String, byte[]> entries = toyEntries();
    byte[] changed = second.clone();
    changed[10] ^= 1;
    entries.put("toy-1/sub/b.bin", changed);
    URI url = serve("/changed.zip", zip(entries));
    DatasetUnavailableException e = failing(url);
    String attempt = e.attempts().stream().filter(a -> a.startsWith("archive ")).findFirst().orElseThrow();
    assertTrue(attempt.startsWith("archive " + url + ": checksum mismatch for sub/b.bin (entry 'toy-1/sub/b.bin'): "
        + "expected sha256 " + Digests.sha256Hex(second) + ", got " + Digests.sha256Hex(changed)), attempt);
    assertTrue(attempt.endsWith("the archive was rejected, nothing was unpacked"), attempt);
    assertEquals(List.of(), cacheListing(), "not even a.bin, which was right");
  }

  @Test
  void rejectsACorruptOrTruncatedArchiveAndInstallsNothing() throws IOException {
    byte[] good = zip(toyEntries());
    byte[] flipped = good.clone();
    // Inside a.bin's data (random bytes, so deflate stores them): ZipFile does not check CRCs, the SHA-256 does.
    flipped[30 + "toy-1/a.bin".length() + 5_000] ^= 0x55;
    URI corrupt = serve("/corrupt.zip", flipped);
    String attempt = failing(corrupt).attempts().stream().filter(a -> a.startsWith("archive ")).findFirst()
        .orElseThrow();
    assertTrue(attempt.startsWith("archive " + corrupt + ": checksum mismatch for a.bin (entry 'toy-1/a.bin')"),
        attempt);
    assertEquals(List.of(), cacheListing());

    URI truncated = serve("/truncated.zip", java.util.Arrays.copyOf(good, good.length / 2));
    attempt = failing(truncated).attempts().stream().filter(a -> a.startsWith("archive ")).findFirst().orElseThrow();
    assertTrue(attempt.startsWith("archive " + truncated + ": not a readable zip archive (ZipException: "), attempt);
    assertEquals(List.of(), cacheListing());
  }

  @Test
  void rejectsAZipSlipEntryAndWritesNothingAnywhere() throws IOException {
    Map<String, byte[]> entries = toyEntries();
    entries.put("toy-1/../../escaped.bin", second);
    URI url = serve("/slip.zip", zip(entries));
    DatasetUnavailableException e = failing(url);
    assertTrue(e.attempts().contains("archive " + url + ": entry 'toy-1/../../escaped.bin' would be written outside "
        + "the dataset folder (zip-slip: absolute path, '..' or '\\'); the archive was rejected, nothing was "
        + "unpacked"), e.attempts().toString());
    assertEquals(List.of(), cacheListing());
    try (Stream<Path> walk = Files.walk(tmp)) {
      assertEquals(List.of(), walk.filter(p -> p.getFileName().toString().equals("escaped.bin")).toList());
    }
  }

  @Test
  void offlineModeDoesNotDownloadAndSaysWhy() throws IOException {
    URI url = serve("/toy.zip", zip(toyEntries()));
    DatasetCatalog catalog = DatasetCatalog.of(settings().withOffline(true),
        List.of(toy(DatasetArchive.zip(url, "toy-1/"))));
    DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class, () -> catalog.resolve("toy"));
    assertTrue(e.attempts().contains("archive " + url + ": not tried, because TESSERA_DATA_OFFLINE is set"),
        e.attempts().toString());
    assertEquals(0, requests.get());
    assertEquals(List.of(), cacheListing());
  }

  @Test
  void checksAPinnedArchiveDigestBeforeUnpacking() throws IOException {
    byte[] archive = zip(toyEntries());
    URI url = serve("/toy.zip", archive);
    String wrong = "0".repeat(64);
    DatasetCatalog pinnedWrong = DatasetCatalog.of(settings().withProgress(false),
        List.of(toy(DatasetArchive.zip(url, "toy-1/").withSha256(wrong))));
    DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class, () -> pinnedWrong.resolve("toy"));
    assertTrue(e.attempts().contains("archive " + url + ": archive checksum mismatch: expected sha256 " + wrong
        + ", got " + Digests.sha256Hex(archive) + "; the archive was rejected, nothing was unpacked"),
        e.attempts().toString());
    assertEquals(List.of(), cacheListing());

    DatasetCatalog pinned = DatasetCatalog.of(settings().withProgress(false),
        List.of(toy(DatasetArchive.zip(url, "toy-1/").withSha256(Digests.sha256Hex(archive)))));
    Path dir = pinned.resolve("toy");
    assertArrayEquals(second, Files.readAllBytes(dir.resolve("sub/b.bin")));
  }

  @Test
  void archivePathsMustBeFoldersInsideTheArchive() {
    assertEquals("toy/x/y.txt", new DatasetArchive(URI.create("https://example.org/t.zip"), null,
        Map.of("top/", "", "top/deep/", "toy/x/")).datasetPath("top/deep/y.txt"));
    var e = assertThrows(IllegalArgumentException.class,
        () -> DatasetArchive.zip(URI.create("https://example.org/t.zip"), "../up/"));
    assertEquals("archive.paths of https://example.org/t.zip: '../up/' -> '' must be folders: \"\" or relative paths "
        + "ending in '/', without '..'", e.getMessage());
  }
}
