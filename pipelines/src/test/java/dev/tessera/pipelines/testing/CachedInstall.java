package dev.tessera.pipelines.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A folder that a test build fills once per machine (a virtual environment, a distribution from PyPI) and reuses:
 * {@code <home>/.tessera-ready} marks a finished install. A file lock beside the folder makes concurrent test JVMs
 * wait for one install instead of racing, and an install that died half-way is removed and done again.
 */
public final class CachedInstall {
  /** Fills the empty folder {@code home}. */
  @FunctionalInterface
  public interface Installer {
    void install(Path home) throws IOException;
  }

  private CachedInstall() {}

  /**
   * Returns {@code home}, installed: at once when its ready marker exists, else after running {@code installer}
   * into the emptied folder under the lock and writing the marker with {@code description}.
   */
  public static Path once(Path home, String description, Installer installer) {
    Path ready = home.resolve(".tessera-ready");
    if (Files.exists(ready)) {
      return home;
    }
    try {
      Files.createDirectories(home.getParent());
      Path lockFile = home.getParent().resolve(home.getFileName() + ".lock");
      try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        if (Files.exists(ready)) {
          return home;
        }
        if (Files.exists(home)) {
          deleteTree(home); // a previous install died half-way
        }
        Files.createDirectories(home);
        installer.install(home);
        Files.writeString(ready, description);
      }
      return home;
    } catch (IOException e) {
      throw new UncheckedIOException("could not install " + description.strip() + " into " + home, e);
    }
  }

  /** Deletes {@code root} and everything below it. */
  static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
