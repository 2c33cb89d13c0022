package dev.tessera.stages.detection.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The combine on the DirectRunner: images spread over shards give the numbers of one in-process pass. */
class CocoEvalFnTest {
  @TempDir Path dir;

  @Test
  void shardedPipelineGivesTheSameTwelveNumbersAsOnePass() throws Exception {
    CocoGroundTruth gt = CocoJson.readGroundTruth(PycocotoolsReference.copy("detection/coco/fixture_gt.json", dir));
    List<CocoDetection> dets =
        CocoJson.readDetections(PycocotoolsReference.copy("detection/coco/fixture_dets.json", dir));
    double[] expected = CocoEvaluator.evaluate(gt, dets).stats();
    List<ImageBoxes> images = CocoEvaluator.byImage(gt, dets);

    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollectionList<ImageBoxes> shards = PCollectionList.empty(p);
    int shardCount = 3;
    for (int s = 0; s < shardCount; s++) {
      List<ImageBoxes> shard = new ArrayList<>();
      for (int i = s; i < images.size(); i += shardCount) {
        shard.add(images.get(images.size() - 1 - i)); // reversed, so no shard sees the images in file order
      }
      shards = shards.and(p.apply("Shard" + s, Create.of(shard).withCoder(SerializableCoder.of(ImageBoxes.class))));
    }
    PCollection<ImageBoxes> all = shards.apply(Flatten.pCollections());
    PCollection<CocoSummary> direct = all.apply("Evaluate", Combine.globally(new CocoEvalFn(gt.categoryIds())));
    PCollection<CocoSummary> fanned = all.apply("EvaluateWithFanout",
        Combine.globally(new CocoEvalFn(gt.categoryIds())).withFanout(2));
    PAssert.thatSingleton(direct).satisfies(s -> {
      assertArrayEquals(expected, s.stats(), 0.0);
      return null;
    });
    PAssert.thatSingleton(fanned).satisfies(s -> {
      assertArrayEquals(expected, s.stats(), 0.0);
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void accumulatorCoderRoundTripsInBothContexts() throws Exception {
    CocoGroundTruth gt = CocoJson.readGroundTruth(PycocotoolsReference.copy("detection/coco/fixture_gt.json", dir));
    CocoEvalFn fn = new CocoEvalFn(gt.categoryIds());
    CocoPartial acc = fn.createAccumulator();
    for (ImageBoxes image : CocoEvaluator.byImage(gt,
        CocoJson.readDetections(PycocotoolsReference.copy("detection/coco/fixture_dets.json", dir)))) {
      acc = fn.addInput(acc, image);
    }
    // two accumulators back to back in one stream: the form must be self-delimiting (Beam's nested context)
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CocoEvalFn.PartialCoder.INSTANCE.encode(acc, bytes);
    CocoEvalFn.PartialCoder.INSTANCE.encode(CocoPartial.empty(), bytes);
    ByteArrayInputStream in = new ByteArrayInputStream(bytes.toByteArray());
    CocoPartial decoded = CocoEvalFn.PartialCoder.INSTANCE.decode(in);
    CocoPartial second = CocoEvalFn.PartialCoder.INSTANCE.decode(in);
    assertArrayEquals(acc.summarize().stats(), decoded.summarize().stats(), 0.0);
    assertEquals(acc.images(), decoded.images());
    assertEquals(0, second.images());
    assertEquals(-1, in.read(), "nothing left over");
    CoderProperties.coderSerializable(CocoEvalFn.PartialCoder.INSTANCE);
  }
}
