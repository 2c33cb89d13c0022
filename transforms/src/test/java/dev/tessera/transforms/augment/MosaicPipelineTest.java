package dev.tessera.transforms.augment;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.tessera.transforms.image.MosaicSpec;
import dev.tessera.transforms.sample.Box;
import dev.tessera.transforms.sample.Sample;
import dev.tessera.transforms.sample.SampleCoder;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/** The Beam Mosaic on DirectRunner (its immutability and encodability checks on) against the Beam-free kernel. */
class MosaicPipelineTest implements Serializable {
  private static final long serialVersionUID = 1L;

  private static List<Sample> inputs() {
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      out.add(Fixtures.solid(String.format("toy/train/%02d", i), 24 + i, 32, 20 * i, 255 - 20 * i, 7, i,
          List.of(new Box(2, 2, 20, 20, i))));
    }
    return out;
  }

  /** What Mosaic must produce, computed without Beam: the documented grouping, then combine per group. */
  private static List<Sample> expected(MosaicSpec spec, long seed, long epoch) {
    List<Sample> in = inputs();
    int groups = Math.max(1, in.size() / 4);
    Map<Integer, List<Sample>> byGroup = new HashMap<>();
    for (Sample s : in) {
      byGroup.computeIfAbsent(Randomness.groupOf(seed, epoch, s.id(), groups), k -> new ArrayList<>()).add(s);
    }
    List<Sample> out = new ArrayList<>();
    byGroup.values().forEach(g -> out.addAll(Mosaic.combine(g, new MosaicSample(spec), seed, epoch)));
    return out;
  }

  private static List<Sample> runPipeline(Mosaic mosaic) {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<Sample> out = p.apply(Create.of(inputs()).withCoder(SampleCoder.of())).apply("Mosaic", mosaic);
    MosaicSpec spec = MosaicSpec.of(64);
    List<Sample> expected = expected(spec, 42, 1);
    PAssert.that(out).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
    return expected;
  }

  @Test
  void producesOneMosaicPerSampleEqualToTheBeamFreeKernel() {
    runPipeline(Mosaic.of(MosaicSpec.of(64)).withSeed(42).withEpoch(1));
  }

  @Test
  void withSeedWithEpochAndWithSpecChangeTheOutput() {
    List<Sample> base = expected(MosaicSpec.of(64), 42, 1);
    assertNotEquals(base, expected(MosaicSpec.of(64), 43, 1));
    assertNotEquals(base, expected(MosaicSpec.of(64), 42, 2));
    assertNotEquals(base, expected(MosaicSpec.of(96), 42, 1));
    // And the pipeline follows its withX settings: same expectation as the Beam-free computation for seed 43.
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<Sample> out = p.apply(Create.of(inputs()).withCoder(SampleCoder.of()))
        .apply("Mosaic", Mosaic.of(MosaicSpec.of(32)).withSpec(MosaicSpec.of(96)).withSeed(43).withEpoch(2));
    PAssert.that(out).containsInAnyOrder(expected(MosaicSpec.of(96), 43, 2));
    p.run().waitUntilFinish();
  }
}
