package dev.tessera.pipelines.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.spec.Specs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Collects the shards that Beam workers wrote into one {@link DatasetManifest}.
 *
 * <p>Each worker publishes its shard and then a small {@code <shard>.info.json} beside it (split, rows, SHA-256);
 * after the pipeline finishes, {@link #collect} reads them all, writes {@code shards.json} and removes them. This
 * works on any runner whose workers share the output file system (a local directory on one machine, a bucket for a
 * cluster), without sending results back to the driver.
 */
public final class ShardOutputs {
  private static final String SUFFIX = ".info.json";
  private static final ObjectMapper JSON = Specs.mapper();

  private ShardOutputs() {}

  /** What a worker records about the shard it wrote. */
  public record Entry(String split, ShardInfo shard) {}

  /** Records a finished shard; call after {@link ShardWriter#finish()}. */
  public static void record(Path datasetDir, String split, ShardInfo shard) throws IOException {
    Path file = datasetDir.resolve(shard.file() + SUFFIX);
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(temp, JSON.writeValueAsBytes(new Entry(split, shard)));
    Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Records a finished shard in the dataset folder {@code location} on any Beam file system (a local directory
   * or {@code s3://...}), as {@link #record(Path, String, ShardInfo)} does locally.
   */
  public static void record(String location, String split, ShardInfo shard) throws IOException {
    Optional<Path> local = Locations.localPath(location);
    if (local.isPresent()) {
      record(local.get(), split, shard);
      return;
    }
    // An object appears only once written whole, so no temporary name is needed.
    Locations.write(Locations.resolve(location, shard.file() + SUFFIX), JSON.writeValueAsBytes(new Entry(split, shard)),
        MimeTypes.TEXT);
  }

  /**
   * As {@link #collect(Path, String, List)} for a dataset folder on any Beam file system: reads every recorded
   * shard there, writes {@code shards.json} beside them and removes the records.
   */
  public static DatasetManifest collect(String location, String dataset, List<String> classes) throws IOException {
    Optional<Path> local = Locations.localPath(location);
    if (local.isPresent()) {
      return collect(local.get(), dataset, classes);
    }
    Map<String, List<ShardInfo>> bySplit = new TreeMap<>();
    List<ResourceId> infos = new ArrayList<>();
    for (MatchResult.Metadata file : Locations.match(Locations.folder(location) + "**" + SUFFIX)) {
      infos.add(file.resourceId());
      Entry entry = JSON.readValue(Locations.read(file.resourceId()), Entry.class);
      bySplit.computeIfAbsent(entry.split(), k -> new ArrayList<>()).add(entry.shard());
    }
    bySplit.values().forEach(list -> list.sort(Comparator.comparing(ShardInfo::file)));
    DatasetManifest manifest = DatasetManifest.of(dataset, classes, bySplit);
    manifest.write(location);
    Locations.delete(infos);
    return manifest;
  }

  /** Builds, writes and returns the manifest from every recorded shard, shards sorted by file name. */
  public static DatasetManifest collect(Path datasetDir, String dataset, List<String> classes) throws IOException {
    Map<String, List<ShardInfo>> bySplit = new TreeMap<>();
    List<Path> infos;
    try (Stream<Path> walk = Files.walk(datasetDir)) {
      infos = walk.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
    }
    for (Path info : infos) {
      Entry entry = JSON.readValue(info.toFile(), Entry.class);
      bySplit.computeIfAbsent(entry.split(), k -> new ArrayList<>()).add(entry.shard());
    }
    bySplit.values().forEach(list -> list.sort(Comparator.comparing(ShardInfo::file)));
    DatasetManifest manifest = DatasetManifest.of(dataset, classes, bySplit);
    manifest.write(datasetDir);
    for (Path info : infos) {
      Files.delete(info);
    }
    return manifest;
  }
}
