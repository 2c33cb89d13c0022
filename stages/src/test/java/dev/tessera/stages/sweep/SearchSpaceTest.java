package dev.tessera.stages.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {

  private static String error(Runnable action) {
    return assertThrows(IllegalArgumentException.class, action::run).getMessage();
  }

  @Test
  void parsesEveryFormWithConditions() {
    SearchSpace space = SearchSpace.parse("""
        # optimizer first: momentum depends on it
        train.optimizer=choice(adam,sgd)
        train.learningRate=loguniform(1e-4,1e-1)
        train.momentum=uniform(0.5,0.99) if train.optimizer=sgd
        train.epochs=int(1,8); train.width=logint(16,512)""");
    assertEquals(List.of("train.optimizer", "train.learningRate", "train.momentum", "train.epochs", "train.width"),
        space.names());
    assertEquals(new FloatRange("train.learningRate", 1e-4, 1e-1, true), space.parameter("train.learningRate"));
    assertEquals(new Condition("train.optimizer", List.of("sgd")), space.parameter("train.momentum").condition());
    assertEquals(new IntRange("train.width", 16, 512, true), space.parameter("train.width"));
    assertEquals(new Choice("train.optimizer", List.of("adam", "sgd")), space.parameter("train.optimizer"));
  }

  @Test
  void rejectsAnEmptySpace() {
    assertTrue(error(() -> new SearchSpace(List.of())).contains("at least one parameter"));
    assertTrue(error(() -> SearchSpace.parse("# nothing\n\n")).contains("declares no parameter"));
  }

  @Test
  void rejectsAnEmptyOrRepeatedChoice() {
    String empty = error(() -> SearchSpace.parse("train.batchSize=choice()"));
    assertTrue(empty.contains("'train.batchSize'") && empty.contains("no values"), empty);
    String twice = error(() -> SearchSpace.parse("train.batchSize=choice(32,64,32)"));
    assertTrue(twice.contains("'32' twice"), twice);
  }

  @Test
  void rejectsRangesWithoutRoom() {
    String flat = error(() -> SearchSpace.parse("train.epochs=int(8,8)"));
    assertEquals("Parameter 'train.epochs' needs low < high, but was low=8, high=8: give a range with room in it, "
        + "or use choice(...) for a fixed value.", flat);
    String reversed = error(() -> new FloatRange("train.dropout", 0.5, 0.1, false));
    assertTrue(reversed.contains("low=0.5, high=0.1"), reversed);
  }

  @Test
  void rejectsLogRangesReachingZero() {
    String message = error(() -> SearchSpace.parse("train.learningRate=loguniform(0,0.1)"));
    assertEquals("Parameter 'train.learningRate' is log-scaled and needs low > 0, but was low=0: use a positive "
        + "lower bound such as 1e-5, or a linear range.", message);
    assertTrue(error(() -> new IntRange("train.width", -4, 64, true)).contains("low=-4"));
  }

  @Test
  void rejectsConditionsOnUnknownParentsOrImpossibleValues() {
    String unknown = error(() -> SearchSpace.parse("train.momentum=uniform(0,1) if train.optimiser=sgd"));
    assertTrue(unknown.contains("'train.momentum' depends on 'train.optimiser'") && unknown.contains("[]"), unknown);
    String impossible = error(() -> SearchSpace.parse(
        "train.optimizer=choice(adam,sgd)\ntrain.momentum=uniform(0,1) if train.optimizer=sdg"));
    assertEquals("Parameter 'train.momentum' is active when 'train.optimizer' is 'sdg', which it can never be; its "
        + "choices: [adam, sgd].", impossible);
    String numericParent = error(() -> SearchSpace.parse("a=int(1,3)\nb=uniform(0,1) if a=2"));
    assertTrue(numericParent.contains("must be a choice"), numericParent);
  }

  @Test
  void parseErrorsQuoteTheEntryAndTheForms() {
    String unknownForm = error(() -> SearchSpace.parse("train.epochs=range(1,8)"));
    assertTrue(unknownForm.contains("'train.epochs=range(1,8)'") && unknownForm.contains("loguniform(lo,hi)"),
        unknownForm);
    String garbled = error(() -> SearchSpace.parse("train.epochs int(1,8)"));
    assertTrue(garbled.startsWith("Cannot read search-space entry 'train.epochs int(1,8)'"), garbled);
    String arity = error(() -> SearchSpace.parse("train.epochs=int(1,4,8)"));
    assertTrue(arity.contains("takes two bounds (low,high), but got 3"), arity);
    String notInteger = error(() -> SearchSpace.parse("train.epochs=int(1,8.5)"));
    assertTrue(notInteger.contains("high of 'train.epochs' must be an integer, but was '8.5'"), notInteger);
    String notNumber = error(() -> SearchSpace.parse("train.learningRate=loguniform(1e-4,big)"));
    assertTrue(notNumber.contains("must be a number such as 1e-4, but was 'big'"), notNumber);
    assertTrue(error(() -> SearchSpace.parse("a=int(1,2)\na=int(1,3)")).contains("declared twice"));
  }

  @Test
  void checksPathsAndTypesAgainstTheFlattenedSpec() {
    Map<String, String> spec = new LinkedHashMap<>();
    spec.put("train.epochs", "8");
    spec.put("train.learningRate", "0.001");
    spec.put("train.optimizer", "adam");
    spec.put("train.shuffle", "true");
    spec.put("train.seed", "null");
    SearchSpace.parse("""
        train.epochs=logint(1,16)
        train.learningRate=loguniform(1e-4,1e-1)
        train.optimizer=choice(adam,sgd)
        train.shuffle=choice(true,false)
        train.seed=choice(1,2)""").checkAgainst(spec);

    String unknown = error(() -> SearchSpace.parse("train.learningrate=loguniform(1e-4,1e-1)").checkAgainst(spec));
    assertTrue(unknown.contains("'train.learningrate' is not a setting of this experiment; valid paths: "
        + "[train.epochs, train.learningRate, train.optimizer, train.shuffle, train.seed]"), unknown);
    String floatForInt = error(() -> SearchSpace.parse("train.epochs=uniform(1,8)").checkAgainst(spec));
    assertTrue(floatForInt.contains("'train.epochs' is an integer setting (now 8), but uniform(1.0,8.0) draws "
        + "fractions: use int(...) or logint(...)"), floatForInt);
    String badChoice = error(() -> SearchSpace.parse("train.epochs=choice(4,many)").checkAgainst(spec));
    assertTrue(badChoice.contains("the choice 'many' is not an integer"), badChoice);
    String rangeForText = error(() -> SearchSpace.parse("train.optimizer=int(1,3)").checkAgainst(spec));
    assertTrue(rangeForText.contains("'train.optimizer' is a text setting (now adam)"), rangeForText);
    String notBoolean = error(() -> SearchSpace.parse("train.shuffle=choice(yes,no)").checkAgainst(spec));
    assertTrue(notBoolean.contains("is a boolean setting"), notBoolean);
    String both = error(() -> SearchSpace.parse("a.b=int(1,2)\ntrain.epochs=uniform(1,2)").checkAgainst(spec));
    assertEquals(3, both.split("\n").length, "both problems listed at once: " + both);
  }

  @Test
  void conditionalParametersAppearOnlyWhenTheirParentAllows() {
    SearchSpace space = SearchSpace.parse("""
        opt=choice(adam,sgd,rmsprop)
        momentum=uniform(0.5,0.99) if opt=sgd|rmsprop
        nesterov=choice(true,false) if opt=sgd""");
    Random random = new Random(11);
    int withMomentum = 0;
    for (int i = 0; i < 300; i++) {
      Map<String, String> values = space.sampleUniform(random).values();
      String opt = values.get("opt");
      assertEquals(!opt.equals("adam"), values.containsKey("momentum"), values.toString());
      assertEquals(opt.equals("sgd"), values.containsKey("nesterov"), values.toString());
      withMomentum += values.containsKey("momentum") ? 1 : 0;
    }
    assertTrue(withMomentum > 150 && withMomentum < 250, "about 2/3 of 300 have momentum: " + withMomentum);
    assertFalse(SearchSpace.isActive(space.parameter("nesterov"), Map.of("opt", "rmsprop")));
  }

  @Test
  void uniformSamplesCoverTheRangesOnTheirScale() {
    SearchSpace space = SearchSpace.parse("lr=loguniform(1e-4,1)\nn=int(1,4)\nw=logint(1,1000)");
    Random random = new Random(5);
    int lrBelowHundredth = 0;
    int[] counts = new int[5];
    int wBelow32 = 0;
    for (int i = 0; i < 4000; i++) {
      Trial trial = space.sampleUniform(random);
      double lr = Double.parseDouble(trial.values().get("lr"));
      assertTrue(lr >= 1e-4 && lr <= 1);
      lrBelowHundredth += lr < 1e-2 ? 1 : 0;
      counts[Integer.parseInt(trial.values().get("n"))]++;
      int w = Integer.parseInt(trial.values().get("w"));
      assertTrue(w >= 1 && w <= 1000);
      wBelow32 += w < 32 ? 1 : 0;
    }
    assertTrue(Math.abs(lrBelowHundredth - 2000) < 150, "half the log range lies below 1e-2: " + lrBelowHundredth);
    for (int n = 1; n <= 4; n++) {
      assertTrue(Math.abs(counts[n] - 1000) < 120, "n=" + n + " drawn " + counts[n] + " times of 4000");
    }
    assertTrue(wBelow32 > 1700, "a log-int range puts about half its draws below sqrt(1000): " + wBelow32);
  }

  @Test
  void trialOverridesFollowTheSpaceOrder() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("train.learningRate", "1.0E-4");
    values.put("train.epochs", "2");
    assertEquals(List.of("train.learningRate=1.0E-4", "train.epochs=2"), new Trial(values).overrides());
  }
}
