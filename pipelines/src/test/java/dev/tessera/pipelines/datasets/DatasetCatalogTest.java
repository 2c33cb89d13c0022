package dev.tessera.pipelines.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tessera.pipelines.artifact.Digests;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCatalogTest {
  /** Nothing listens on port 1: connections are refused at once. */
  private static final List<URI> DEAD_UPSTREAMS =
      List.of(URI.create("http://127.0.0.1:1/a/"), URI.create("http://127.0.0.1:1/b/"));

  @TempDir Path tmp;

  private final byte[] images = IdxFixtures.images(4, 2, 3);
  private final byte[] labels = IdxFixtures.labels(4);

  private DatasetEntry toy(List<URI> upstreams) {
    return new DatasetEntry("toy", "test fixture", List.of(
        new DatasetFile("toy-images-idx3-ubyte", Digests.sha256Hex(images)),
        new DatasetFile("toy-labels-idx1-ubyte", Digests.sha256Hex(labels))), upstreams);
  }

  private DataSettings settings(Path mirror) {
    return new DataSettings(tmp.resolve("cache"), mirror, Duration.ofSeconds(5), Duration.ofSeconds(5), false, false);
  }

  private Path mirror() throws IOException {
    Path mirror = tmp.resolve("mirror");
    IdxFixtures.write(mirror.resolve("toy/toy-images-idx3-ubyte.gz"), IdxFixtures.gzip(images));
    IdxFixtures.write(mirror.resolve("toy/toy-labels-idx1-ubyte"), labels); // uncompressed works too
    return mirror;
  }

  private static List<String> listing(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void copiesFromTheMirrorIntoTheCacheAndReusesTheCache() throws IOException {
    Path mirror = mirror();
    DatasetCatalog catalog = DatasetCatalog.of(settings(mirror).withProgress(true), List.of(toy(DEAD_UPSTREAMS)));

    Path dir = catalog.resolve("toy");
    assertEquals(tmp.resolve("cache/toy"), dir);
    assertEquals(List.of("toy-images-idx3-ubyte", "toy-labels-idx1-ubyte"), listing(dir));
    assertArrayEquals(images, Files.readAllBytes(dir.resolve("toy-images-idx3-ubyte")));
    assertEquals(4, IdxImages.open(dir.resolve("toy-images-idx3-ubyte")).count());

    deleteTree(mirror);
    assertEquals(dir, catalog.resolve("toy"), "the verified cache serves without the mirror");
  }

  @Test
  void rejectsACorruptMirrorFileAndLeavesNothingInTheCache() throws IOException {
    Path mirror = mirror();
    byte[] wrong = images.clone();
    wrong[20] ^= 0x01;
    IdxFixtures.write(mirror.resolve("toy/toy-images-idx3-ubyte.gz"), IdxFixtures.gzip(wrong));
    DatasetCatalog catalog = DatasetCatalog.of(settings(mirror), List.of(toy(DEAD_UPSTREAMS)));

    DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class, () -> catalog.resolve("toy"));
    assertEquals("toy-images-idx3-ubyte", e.file());
    assertEquals("mirror " + mirror.resolve("toy/toy-images-idx3-ubyte.gz")
        + ": checksum mismatch for toy-images-idx3-ubyte: expected sha256 " + Digests.sha256Hex(images)
        + ", got " + Digests.sha256Hex(wrong) + " (from " + mirror.resolve("toy/toy-images-idx3-ubyte.gz")
        + "); the file was rejected", e.attempts().get(1));
    assertEquals(List.of(), listing(tmp.resolve("cache/toy")), "no file, not even a temporary one");
  }

  @Test
  void missingDatasetListsEverySourceTriedAndHowToFixIt() {
    DatasetCatalog catalog = DatasetCatalog.of(settings(null), List.of(toy(DEAD_UPSTREAMS)));
    DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class, () -> catalog.resolve("toy"));
    Path cacheDir = tmp.resolve("cache/toy");
    assertEquals(List.of(
        "cache " + cacheDir.resolve("toy-images-idx3-ubyte") + ": not present",
        "mirror: TESSERA_DATA_MIRROR is not set",
        "http://127.0.0.1:1/a/toy-images-idx3-ubyte.gz: ConnectException: Connection refused",
        "http://127.0.0.1:1/b/toy-images-idx3-ubyte.gz: ConnectException: Connection refused"), e.attempts());
    assertTrue(e.getMessage().startsWith("Dataset 'toy' is not available: no source provided a verified copy of"
        + " toy-images-idx3-ubyte.\nTried:\n  - cache "), e.getMessage());
    assertTrue(e.getMessage().endsWith("To fix: set TESSERA_DATA_MIRROR to a folder containing toy/<file>.gz"
        + " (or the uncompressed toy/<file>) for each of [toy-images-idx3-ubyte, toy-labels-idx1-ubyte], or place"
        + " the uncompressed files in the cache directory " + cacheDir + " (set TESSERA_DATA_CACHE to move the"
        + " cache). Files are checked against their SHA-256."), e.getMessage());
  }

  @Test
  void replacesACorruptCacheFileFromTheMirror() throws IOException {
    Path cached = IdxFixtures.write(tmp.resolve("cache/toy/toy-labels-idx1-ubyte"), new byte[] {1, 2, 3});
    DatasetCatalog catalog = DatasetCatalog.of(settings(mirror()), List.of(toy(DEAD_UPSTREAMS)));
    catalog.resolve("toy");
    assertArrayEquals(labels, Files.readAllBytes(cached));
  }

  @Test
  void downloadsFromAnUpstreamFollowingARedirect() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/old/", exchange -> {
      exchange.getResponseHeaders().add("Location", "/data/" + Path.of(exchange.getRequestURI().getPath())
          .getFileName());
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    });
    server.createContext("/data/", exchange -> {
      String name = Path.of(exchange.getRequestURI().getPath()).getFileName().toString();
      byte[] body = IdxFixtures.gzip(name.startsWith("toy-images") ? images : labels);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    try {
      URI live = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/old/");
      DatasetCatalog catalog = DatasetCatalog.of(settings(null).withProgress(true),
          List.of(toy(List.of(URI.create("http://127.0.0.1:1/dead/"), live))));
      Path dir = catalog.resolve("toy");
      assertArrayEquals(images, Files.readAllBytes(dir.resolve("toy-images-idx3-ubyte")));
      assertArrayEquals(labels, Files.readAllBytes(dir.resolve("toy-labels-idx1-ubyte")));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void takesFilesFromALocalSourceWhenTheMirrorLacksThem() throws IOException {
    Path local = tmp.resolve("usr-share");
    IdxFixtures.write(local.resolve("toy-images-idx3-ubyte.gz"), IdxFixtures.gzip(images));
    IdxFixtures.write(local.resolve("toy-labels-idx1-ubyte.gz"), IdxFixtures.gzip(labels));
    DatasetEntry entry = toy(DEAD_UPSTREAMS).withLocalSources(List.of(tmp.resolve("absent"), local));
    DatasetCatalog catalog = DatasetCatalog.of(settings(tmp.resolve("empty-mirror")).withOffline(true),
        List.of(entry));

    Path dir = catalog.resolve("toy");
    assertArrayEquals(images, Files.readAllBytes(dir.resolve("toy-images-idx3-ubyte")));
    assertArrayEquals(labels, Files.readAllBytes(dir.resolve("toy-labels-idx1-ubyte")));
  }

  @Test
  void namesLocalSourcesAndArchivesWhenNothingHasTheFiles() {
    DatasetEntry entry = new DatasetEntry("toy", "test fixture", toy(List.of()).files(), List.of(),
        List.of(tmp.resolve("pkg")), List.of(DatasetArchive.zip(URI.create("http://127.0.0.1:1/toy.zip"), "toy/")));
    DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
        () -> DatasetCatalog.of(settings(null), List.of(entry)).resolve("toy"));
    assertTrue(e.getMessage().contains("local source " + tmp.resolve("pkg") + ": no toy-images-idx3-ubyte(.gz)"),
        e.getMessage());
    assertTrue(e.getMessage().contains("archive http://127.0.0.1:1/toy.zip: ConnectException: Connection refused"),
        e.getMessage());
    assertTrue(e.getMessage().contains("(unpacked from [http://127.0.0.1:1/toy.zip])"), e.getMessage());
  }

  @Test
  void rejectsUnknownAndDuplicateNames() {
    DatasetCatalog catalog = DatasetCatalog.standard(settings(null));
    assertEquals("unknown dataset 'minst'. Known datasets: [bccd, coco128, fashion-mnist, isbi-membrane, mnist]",
        assertThrows(IllegalArgumentException.class, () -> catalog.resolve("minst")).getMessage());
    assertEquals("dataset 'toy' is registered twice in the catalog: test fixture / test fixture",
        assertThrows(IllegalArgumentException.class,
            () -> DatasetCatalog.of(settings(null), List.of(toy(List.of()), toy(List.of())))).getMessage());
  }

  @Test
  void readsSettingsFromTheEnvironmentMapGiven() {
    DataSettings defaults = DataSettings.fromEnvironment(java.util.Map.of(), Path.of("/home/u"));
    assertEquals(Path.of("/home/u/.cache/tessera/datasets"), defaults.cacheRoot());
    assertEquals(null, defaults.mirror());
    DataSettings set = DataSettings.fromEnvironment(
        java.util.Map.of("TESSERA_DATA_CACHE", "/c", "TESSERA_DATA_MIRROR", "/m"), Path.of("/home/u"));
    assertEquals(Path.of("/c"), set.cacheRoot());
    assertEquals(Path.of("/m"), set.mirror());
    assertFalse(DatasetCatalog.MNIST.upstreams().isEmpty());
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
