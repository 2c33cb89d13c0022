package dev.tessera.pipelines.datasets;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One split of a catalog IDX dataset (MNIST, Fashion-MNIST): its name and the file names of its images and labels
 * in the dataset's folder. Ingest and {@code tessera datasets export} read the same files through this table.
 *
 * @param name the split, {@code train} or {@code test}
 * @param imagesFile the IDX3 images file's name
 * @param labelsFile the IDX1 labels file's name
 */
public record IdxSplit(String name, String imagesFile, String labelsFile) {
  private static final List<IdxSplit> STANDARD = List.of(
      new IdxSplit("train", "train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
      new IdxSplit("test", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"));
  private static final Map<String, List<IdxSplit>> BY_DATASET = Map.of("mnist", STANDARD, "fashion-mnist", STANDARD);

  /** The splits of catalog dataset {@code dataset}, or null when it is not an IDX dataset. */
  public static List<IdxSplit> of(String dataset) {
    return BY_DATASET.get(dataset);
  }

  /** The catalog's IDX datasets. */
  public static Set<String> datasets() {
    return BY_DATASET.keySet();
  }
}
