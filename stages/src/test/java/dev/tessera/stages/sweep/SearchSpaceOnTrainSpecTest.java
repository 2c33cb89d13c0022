package dev.tessera.stages.sweep;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.spec.Specs;
import dev.tessera.stages.train.Models;
import dev.tessera.stages.train.TrainSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The space checked against the real train stage's flattened spec, as a sweep stage will check it. */
class SearchSpaceOnTrainSpecTest {
  private static final Map<String, String> TRAIN = Specs.flatten("train", TrainSpec.defaults(Models.lenet()));

  @Test
  void aSpaceOverTrainSettingsFits() {
    SearchSpace.parse("""
        train.optimizer.kind=choice(ADAM,SGD)
        train.optimizer.learningRate=loguniform(1e-4,1e-1)
        train.optimizer.momentum=uniform(0.5,0.99) if train.optimizer.kind=SGD
        train.batchSize=choice(32,64,128)
        train.epochs=int(1,8)
        train.seed=choice(1,2,3)""").checkAgainst(TRAIN);
  }

  @Test
  void aMisspelledPathListsTheValidOnes() {
    String message = assertThrows(IllegalArgumentException.class,
        () -> SearchSpace.parse("train.lr=loguniform(1e-4,1e-1)").checkAgainst(TRAIN)).getMessage();
    assertTrue(message.contains("'train.lr' is not a setting of this experiment; valid paths: [")
        && message.contains("train.optimizer.learningRate") && message.contains("train.batchSize"), message);
  }

  @Test
  void aFloatRangeForAnIntegerSettingIsAnError() {
    String message = assertThrows(IllegalArgumentException.class,
        () -> SearchSpace.parse("train.batchSize=loguniform(16,256)").checkAgainst(TRAIN)).getMessage();
    assertTrue(message.contains("'train.batchSize' is an integer setting (now 128), but loguniform(16.0,256.0) "
        + "draws fractions"), message);
  }
}
