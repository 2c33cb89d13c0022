package dev.tessera.pipelines.exec;

import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.datasets.FolderDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The part of a stage's cache key that lives outside the artifact store: each local folder the stage declares in
 * {@link Stage#externalData()} ({@code folder:<path>}) joins its inputs with the folder's content digest, so images
 * added to a dataset folder make its ingest run again instead of being served the old shards. Content hashes are
 * remembered in {@code <home>/data-digests/}, the index {@code --when data-changed} keeps too, so unchanged files
 * are not read again. Catalog data ({@code catalog:<name>}) is pinned by checksums in code and adds nothing.
 */
public final class ExternalData {
  /** Where the content-hash indexes live, under the Tessera home. */
  public static final String INDEXES = "data-digests";

  private ExternalData() {}

  /**
   * {@code inputs} plus one entry per existing local folder of {@code stage}: {@code folder:<path>} to its digest.
   * A missing folder adds nothing: the stage reports it when it runs.
   */
  static Map<String, String> withFolders(Stage<?> stage, Map<String, String> inputs, Path home) {
    Map<String, String> all = new LinkedHashMap<>(inputs);
    for (String item : stage.externalData()) {
      if (!item.startsWith("folder:")) {
        continue;
      }
      Path folder = Path.of(item.substring("folder:".length()));
      if (Files.isDirectory(folder)) {
        all.put(item, FolderDigest.of(folder, FolderDigest.indexIn(home.resolve(INDEXES), folder)));
      }
    }
    return all;
  }
}
