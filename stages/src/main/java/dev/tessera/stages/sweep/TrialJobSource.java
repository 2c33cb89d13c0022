package dev.tessera.stages.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A batch of {@link TrialJob}s as a bounded source that splits into one source per job, whatever bundle size the
 * runner asks for. Runners hand the splits of a source to free workers one at a time (Flink's input splits, Spark's
 * partitions), so every trial gets a slot of its own until the slots run out, and a slot that finishes early takes
 * the next trial; {@code Create} plus a random-key reshuffle would put two trials on one slot half of the time.
 */
final class TrialJobSource extends BoundedSource<String> {
  private final ArrayList<String> jobs;

  TrialJobSource(List<String> jobs) {
    this.jobs = new ArrayList<>(jobs);
  }

  @Override
  public List<? extends BoundedSource<String>> split(long desiredBundleSizeBytes, PipelineOptions options) {
    if (jobs.size() <= 1) {
      return List.of(this);
    }
    return jobs.stream().map(job -> new TrialJobSource(List.of(job))).toList();
  }

  @Override
  public long getEstimatedSizeBytes(PipelineOptions options) {
    return jobs.stream().mapToLong(String::length).sum();
  }

  @Override
  public Coder<String> getOutputCoder() {
    return StringUtf8Coder.of();
  }

  @Override
  public BoundedReader<String> createReader(PipelineOptions options) {
    return new BoundedReader<>() {
      private int position = -1;

      @Override
      public boolean start() {
        return advance();
      }

      @Override
      public boolean advance() {
        position++;
        return position < jobs.size();
      }

      @Override
      public String getCurrent() {
        if (position < 0 || position >= jobs.size()) {
          throw new NoSuchElementException("the trial job source has " + jobs.size() + " jobs; position "
              + position + " holds none");
        }
        return jobs.get(position);
      }

      @Override
      public void close() {}

      @Override
      public BoundedSource<String> getCurrentSource() {
        return TrialJobSource.this;
      }
    };
  }
}
