package dev.tessera.pipelines.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster for tests and benchmarks: {@code initdb} into a fresh temporary directory, a
 * {@code postgres} listening only on a free port of 127.0.0.1 (trust authentication, user {@code mlflow}), one
 * database {@code mlflow}; {@link #close()} stops it and deletes the directory. No system service is involved.
 *
 * <pre>{@code
 * try (PostgresServer db = PostgresServer.start();
 *     MlflowServer server = MlflowServer.postgres(db, tmp.resolve("artifacts"), List.of("--workers", "2"))) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Uses Debian's {@code /usr/lib/postgresql/<version>/bin}; installs the {@code postgresql} package when it is
 * missing and the JVM runs as root with apt-get, otherwise the calling test is skipped with that reason. PostgreSQL
 * refuses to run as root, so as root the cluster belongs to the {@code postgres} user the package creates and its
 * programs run through {@code runuser}. Durability settings are PostgreSQL's defaults ({@code fsync} on).
 */
public final class PostgresServer implements AutoCloseable {
  private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
  private static final String SERVICE_USER = "postgres";
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asServiceUser;

  private PostgresServer(Path bin, Path dir, int port, boolean asServiceUser) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asServiceUser = asServiceUser;
  }

  /** Installs PostgreSQL if needed, then starts a fresh cluster with an empty database {@code mlflow}. */
  public static PostgresServer start() {
    Path bin = ensureInstalled();
    boolean root = isRoot();
    try {
      Path dir = Files.createTempDirectory("tessera-postgres");
      if (root) {
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(dir, users.lookupPrincipalByName(SERVICE_USER));
      }
      PostgresServer server = new PostgresServer(bin, dir, MlflowServer.freePort(), root);
      try {
        server.run("initdb", "-D", server.data().toString(), "-U", "mlflow", "--auth=trust", "-E", "UTF8",
            "--no-sync");
        server.run("pg_ctl", "-D", server.data().toString(), "-l", dir.resolve("postgres.log").toString(), "-w",
            "-t", "60", "-o", "-h 127.0.0.1 -p " + server.port + " -k " + dir, "start");
        server.run("createdb", "-h", "127.0.0.1", "-p", Integer.toString(server.port), "-U", "mlflow", "mlflow");
      } catch (RuntimeException | Error e) {
        server.close();
        throw e;
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a PostgreSQL cluster directory", e);
    }
  }

  /**
   * The SQLAlchemy URI MLflow's {@code --backend-store-uri} takes, with the psycopg2 driver the test Python
   * environment installs: {@code postgresql+psycopg2://mlflow@127.0.0.1:<port>/mlflow}.
   */
  public String sqlAlchemyUri() {
    return "postgresql+psycopg2://mlflow@127.0.0.1:" + port + "/mlflow";
  }

  public int port() {
    return port;
  }

  /** The postmaster (its backends are its descendants), if it is running. */
  public Optional<ProcessHandle> process() {
    try {
      List<String> lines = Files.readAllLines(data().resolve("postmaster.pid"));
      return ProcessHandle.of(Long.parseLong(lines.get(0).strip()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Runs one SQL statement in database {@code mlflow} with {@code psql} and returns its unaligned output. */
  public String query(String sql) {
    return run("psql", "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "mlflow", "-d", "mlflow", "-At",
        "-c", sql).strip();
  }

  /** The server's log so far, for failure messages. */
  public String log() {
    try {
      return Files.readString(dir.resolve("postgres.log"));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /**
   * Stops the server (fast shutdown: open sessions are ended), waits for the postmaster to exit (pg_ctl returns
   * once the pid file is gone, a moment before that), and deletes the cluster.
   */
  @Override
  public void close() {
    try {
      Optional<ProcessHandle> postmaster = process();
      if (Files.exists(data().resolve("postmaster.pid"))) {
        run("pg_ctl", "-D", data().toString(), "-w", "-t", "60", "-m", "fast", "stop");
      }
      postmaster.ifPresent(p -> {
        try {
          p.onExit().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
          throw new AssertionError("the PostgreSQL postmaster " + p.pid() + " did not exit:\n" + log(), e);
        }
      });
    } finally {
      deleteTree(dir);
    }
  }

  private Path data() {
    return dir.resolve("data");
  }

  private String run(String program, String... args) {
    List<String> command = new ArrayList<>();
    if (asServiceUser) {
      command.addAll(List.of("runuser", "-u", SERVICE_USER, "--"));
    }
    command.add(bin.resolve(program).toString());
    command.addAll(List.of(args));
    return PythonEnv.exec(command, Map.of("LC_ALL", "C.UTF-8"), COMMAND_TIMEOUT);
  }

  private static synchronized Path ensureInstalled() {
    Optional<Path> bin = findBin();
    if (bin.isPresent()) {
      return bin.get();
    }
    assumeTrue(isRoot() && Files.isExecutable(Path.of("/usr/bin/apt-get")),
        "PostgreSQL is not installed and cannot be installed here (needs root and apt-get): "
            + "apt-get install postgresql");
    Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
    PythonEnv.exec(List.of("apt-get", "update", "-qq"), env, Duration.ofMinutes(10));
    PythonEnv.exec(List.of("apt-get", "install", "-y", "-qq", "postgresql"), env, Duration.ofMinutes(20));
    return findBin().orElseThrow(() -> new AssertionError(
        "apt-get install postgresql succeeded but no " + DEBIAN_ROOT + "/<version>/bin/initdb exists"));
  }

  /** The newest {@code /usr/lib/postgresql/<version>/bin} holding initdb and pg_ctl. */
  private static Optional<Path> findBin() {
    if (!Files.isDirectory(DEBIAN_ROOT)) {
      return Optional.empty();
    }
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> versions = Files.newDirectoryStream(DEBIAN_ROOT)) {
      for (Path version : versions) {
        Path bin = version.resolve("bin");
        if (Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"))
            && version.getFileName().toString().matches("\\d+")) {
          found.add(bin);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found.stream().max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString())));
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete the PostgreSQL cluster " + root, e);
    }
  }
}
