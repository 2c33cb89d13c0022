package dev.tessera.pipelines.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tessera.pipelines.artifact.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The {@code shards.json} of a dataset directory: dataset name, class names, schema version, the shards of each
 * split with their rows and SHA-256, totals, and a dataset digest.
 *
 * <p>{@code digest} is {@code sha256:<hex>} of the sorted per-shard SHA-256 hex strings joined by newlines: it
 * depends only on shard contents, so the same samples written in the same shards give the same digest on any
 * runner and any directory. Example:
 *
 * <pre>{@code
 * DatasetManifest manifest = DatasetManifest.of("mnist", classes, Map.of("train", trainShards, "test", testShards));
 * manifest.write(dir);
 * DatasetManifest.read(dir).requireIntact(dir);
 * }</pre>
 *
 * @param dataset dataset name
 * @param classes class names, index = class id
 * @param schemaVersion {@link SampleSchema#VERSION} of the shards
 * @param splits per split name (sorted), its shards in order and their row total
 * @param totalRows rows over all splits
 * @param digest the dataset digest, see above
 */
@JsonPropertyOrder({"dataset", "classes", "schema_version", "splits", "total_rows", "digest"})
public record DatasetManifest(
    String dataset,
    List<String> classes,
    @JsonProperty("schema_version") int schemaVersion,
    Map<String, Split> splits,
    @JsonProperty("total_rows") long totalRows,
    String digest) {

  /** The manifest's file name inside a dataset directory. */
  public static final String FILE_NAME = "shards.json";
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /**
   * The shards of one split.
   *
   * @param rows rows over the split's shards
   * @param shards the shards, in reading order
   */
  @JsonPropertyOrder({"rows", "shards"})
  public record Split(long rows, List<ShardInfo> shards) {
    public Split {
      shards = List.copyOf(shards);
    }
  }

  public DatasetManifest {
    Objects.requireNonNull(dataset, "dataset");
    classes = List.copyOf(classes == null ? List.of() : classes);
    splits = java.util.Collections.unmodifiableMap(new TreeMap<>(splits));
  }

  /** A manifest for these shards, computing the totals and the digest. */
  public static DatasetManifest of(String dataset, List<String> classes, Map<String, List<ShardInfo>> shardsBySplit) {
    Map<String, Split> splits = new TreeMap<>();
    long total = 0;
    for (Map.Entry<String, List<ShardInfo>> e : shardsBySplit.entrySet()) {
      long rows = e.getValue().stream().mapToLong(ShardInfo::rows).sum();
      splits.put(e.getKey(), new Split(rows, e.getValue()));
      total += rows;
    }
    return new DatasetManifest(dataset, classes, SampleSchema.VERSION, splits, total, digestOf(splits));
  }

  /** The dataset digest of these splits: {@code sha256:} over the sorted shard SHA-256s, newline-joined. */
  public static String digestOf(Map<String, Split> splits) {
    String joined = splits.values().stream()
        .flatMap(s -> s.shards().stream())
        .map(ShardInfo::sha256)
        .sorted()
        .collect(Collectors.joining("\n"));
    return "sha256:" + Digests.sha256Hex(joined);
  }

  /** Writes {@code shards.json} into {@code dir} atomically (temporary file, then rename). */
  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + FILE_NAME + ".", ".tmp");
    try {
      Files.write(temp, JSON.writeValueAsBytes(this));
      Files.move(temp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Writes {@code shards.json} into the folder {@code location} on any Beam file system, in one piece. */
  public void write(String location) throws IOException {
    java.util.Optional<Path> local = Locations.localPath(location);
    if (local.isPresent()) {
      write(local.get());
    } else {
      Locations.write(Locations.resolve(location, FILE_NAME), JSON.writeValueAsBytes(this),
          org.apache.beam.sdk.util.MimeTypes.TEXT);
    }
  }

  /** As {@link #read(Path)} for a dataset folder on any Beam file system ({@code s3://...} or a local path). */
  public static DatasetManifest read(String location) throws IOException {
    java.util.Optional<Path> local = Locations.localPath(location);
    if (local.isPresent()) {
      return read(local.get());
    }
    org.apache.beam.sdk.io.fs.ResourceId file = Locations.resolve(location, FILE_NAME);
    byte[] bytes;
    try {
      bytes = Locations.read(file);
    } catch (java.io.FileNotFoundException | NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null,
          "no shard manifest: " + location + " is not a dataset folder written by Tessera");
    }
    return checked(JSON.readValue(bytes, DatasetManifest.class), file.toString());
  }

  /**
   * Reads {@code dir/shards.json} and checks that its totals and digest agree with its shard list (a hand-edited
   * manifest fails here, naming the file).
   */
  public static DatasetManifest read(Path dir) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    DatasetManifest m;
    try {
      m = JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), DatasetManifest.class);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null,
          "no shard manifest: " + dir + " is not a dataset directory written by Tessera");
    }
    return checked(m, file.toString());
  }

  private static DatasetManifest checked(DatasetManifest m, String file) throws IOException {
    DatasetManifest recomputed = of(m.dataset(), m.classes(),
        m.splits().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().shards())));
    if (!recomputed.equals(m)) {
      throw new IOException(file + " is inconsistent: its totals or digest do not match its shard list"
          + " (recorded total_rows=" + m.totalRows() + ", digest=" + m.digest() + "; the shards give total_rows="
          + recomputed.totalRows() + ", digest=" + recomputed.digest() + ")");
    }
    return m;
  }

  /** All shards of all splits, split by split in name order. */
  public List<ShardInfo> shards() {
    List<ShardInfo> all = new ArrayList<>();
    splits.values().forEach(s -> all.addAll(s.shards()));
    return all;
  }

  /** Recomputes every shard's SHA-256 in {@code dir}; returns the shards that are missing or differ. */
  public List<ShardProblem> verify(Path dir) throws IOException {
    List<ShardProblem> problems = new ArrayList<>();
    for (Map.Entry<String, Split> split : splits.entrySet()) {
      for (ShardInfo shard : split.getValue().shards()) {
        Path file = dir.resolve(shard.file());
        String actual = Files.isRegularFile(file) ? Digests.sha256Hex(file) : null;
        if (!shard.sha256().equals(actual)) {
          problems.add(new ShardProblem(split.getKey(), shard.file(), shard.sha256(), actual));
        }
      }
    }
    return problems;
  }

  /** As {@link #verify(Path)}, but throws a {@link CorruptDatasetException} naming every bad shard. */
  public void requireIntact(Path dir) throws IOException {
    List<ShardProblem> problems = verify(dir);
    if (!problems.isEmpty()) {
      throw new CorruptDatasetException("dataset '" + dataset + "' in " + dir + ": " + problems.size() + " of "
          + shards().size() + " shards do not match " + FILE_NAME + ":\n  "
          + problems.stream().map(ShardProblem::describe).collect(Collectors.joining("\n  "))
          + "\nThe files changed after they were written; delete " + dir + " so the stage that wrote it runs again.",
          problems);
    }
  }
}
