package dev.tessera.pipelines.datasets;

/** Receives progress while the catalog copies or downloads a file (for a stage's live progress). */
@FunctionalInterface
public interface CopyProgress {

  /**
   * @param file the file being fetched
   * @param bytesDone bytes read from the source so far (compressed size for gzip sources)
   * @param bytesTotal the source's size, or -1 when unknown
   */
  void update(String file, long bytesDone, long bytesTotal);
}
