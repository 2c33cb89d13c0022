package dev.tessera.runners.cli.datasets;

import dev.tessera.pipelines.datasets.DataSettings;
import dev.tessera.pipelines.datasets.DatasetCatalog;
import dev.tessera.pipelines.datasets.IdxImages;
import dev.tessera.pipelines.datasets.IdxLabels;
import dev.tessera.pipelines.datasets.IdxSplit;
import dev.tessera.runners.cli.Main;
import dev.tessera.runners.cli.UsageException;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tessera datasets export mnist --to DIR --limit N}: writes the first N images of each split of an IDX
 * catalog dataset as grey PNGs in an image-folder layout, {@code DIR/<split>/<class index>/<split>-<index>.png},
 * which {@code Ingest.local} reads. Files already there are left untouched, so exporting again with a larger
 * {@code --limit} only adds images: a dataset folder that grows, as the nightly loop expects.
 */
@Command(name = "export", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
    description = {"Writes the first --limit images of each split of mnist or fashion-mnist as PNG files in "
        + "DIR/<split>/<class>/ (classes as 0..9), the image-folder layout a local ingest reads.",
        "Existing files are kept, so a second export with a larger --limit only adds images."},
    footer = {"", "Examples:", "  tessera datasets export mnist --to data/mnist-folder --limit 500",
        "  tessera datasets export mnist --to data/mnist-folder --limit 1000   # adds 500 per split"})
final class DatasetsExportCommand implements Callable<Integer> {
  private final Map<String, String> environment;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DATASET", description = "mnist or fashion-mnist.")
  String dataset;

  @Option(names = "--to", required = true, paramLabel = "DIR", description = "The folder to write into.")
  Path to;

  @Option(names = "--limit", defaultValue = "1000", paramLabel = "N",
      description = "Images per split, the first ones (default: ${DEFAULT-VALUE}).")
  int limit;

  @Inject
  DatasetsExportCommand(@Named("environment") Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() throws IOException {
    List<IdxSplit> splits = IdxSplit.of(dataset);
    if (splits == null) {
      throw new UsageException("DATASET '" + dataset + "' cannot be exported; allowed: " + IdxSplit.datasets()
          + ". Example: tessera datasets export mnist --to data/mnist-folder --limit 500.");
    }
    if (limit < 1) {
      throw new UsageException("--limit must be >= 1 (images per split), but was " + limit + ".");
    }
    Path files = DatasetCatalog.standard(DataSettings.fromEnvironment(environment,
        Path.of(System.getProperty("user.home")))).resolve(dataset);
    for (IdxSplit split : splits) {
      int[] written = export(files.resolve(split.imagesFile()), files.resolve(split.labelsFile()),
          to.resolve(split.name()), split.name(), limit);
      spec.commandLine().getOut().println(split.name() + ": " + written[0] + " new, " + written[1] + " kept in "
          + to.resolve(split.name()));
    }
    spec.commandLine().getOut().flush();
    return Main.OK;
  }

  /** Writes the first {@code limit} images; returns {new files, files that were there already}. */
  static int[] export(Path imagesFile, Path labelsFile, Path out, String prefix, int limit) throws IOException {
    IdxImages images = IdxImages.open(imagesFile);
    int count = Math.min(limit, images.count());
    int[] labels = IdxLabels.open(labelsFile).read(0, count);
    int[] written = new int[2];
    images.forEach(0, count, (i, pixels) -> {
      Path file = out.resolve(Integer.toString(labels[i]))
          .resolve(String.format(Locale.ROOT, "%s-%05d.png", prefix, i));
      if (Files.exists(file)) {
        written[1]++;
        return;
      }
      BufferedImage image = new BufferedImage(images.cols(), images.rows(), BufferedImage.TYPE_BYTE_GRAY);
      image.getRaster().setDataElements(0, 0, images.cols(), images.rows(), pixels);
      Files.createDirectories(file.getParent());
      Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
      ImageIO.write(image, "png", temporary.toFile());
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE); // never a half-written PNG in the dataset
      written[0]++;
    });
    return written;
  }
}
