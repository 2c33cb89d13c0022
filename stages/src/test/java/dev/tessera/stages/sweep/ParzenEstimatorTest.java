package dev.tessera.stages.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.pipelines.testing.PythonEnv;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParzenEstimatorTest {
  private static final SearchSpace MIXED = SearchSpace.parse("""
      x=uniform(-5,5)
      lr=loguniform(1e-5,1)
      n=int(1,8)
      width=logint(16,512)
      kind=choice(a,b,c)""");

  @TempDir
  Path dir;

  @Test
  void logDensitiesMatchOptunasParzenEstimatorJointlyAndPerParameter() throws Exception {
    Random random = new Random(3);
    double[][] observations = new double[12][];
    for (int i = 0; i < observations.length; i++) {
      observations[i] = internal(MIXED.sampleUniform(random));
    }
    double[][] points = new double[40][];
    for (int i = 0; i < points.length; i++) {
      points[i] = internal(MIXED.sampleUniform(random));
    }
    for (boolean multivariate : new boolean[] {true, false}) {
      double[] optuna = optunaLogPdf(observations, points, multivariate);
      for (int i = 0; i < points.length; i++) {
        double ours = multivariate ? joint(observations).logPdf(points[i]) : perParameter(observations, points[i]);
        assertEquals(optuna[i], ours, 1e-5 * Math.max(1, Math.abs(optuna[i])),
            "log density at point " + i + " (multivariate=" + multivariate + ")");
      }
    }
  }

  @Test
  void samplesConcentrateAroundObservationsAndStayInBounds() {
    SearchSpace space = SearchSpace.parse("x=uniform(0,100)\nn=int(1,8)");
    double[][] observations = {{20, 3}, {21, 3}, {22, 3}, {19, 3}, {20.5, 3}};
    ParzenEstimator estimator = new ParzenEstimator(space.parameters(), observations,
        TpeSettings.observationWeights(5), TpeSettings.defaults());
    double[][] samples = estimator.sample(new Random(1), 2000);
    int near = 0;
    int three = 0;
    for (double[] sample : samples) {
      assertTrue(sample[0] >= 0 && sample[0] <= 100, "x in bounds: " + sample[0]);
      assertTrue(sample[1] >= 1 && sample[1] <= 8 && sample[1] == Math.rint(sample[1]), "n an integer in bounds");
      near += Math.abs(sample[0] - 20.5) < 20 ? 1 : 0;
      three += sample[1] == 3 ? 1 : 0;
    }
    // Five of six kernels sit near x = 20 with width >= 100/7 (magic clip), the sixth is the broad prior: a uniform
    // draw would put 400 of 2000 samples within 20 of 20.5 and 250 on n = 3; the kernels put about 1400 and 600.
    assertTrue(near > 1200, "samples near the observations: " + near);
    assertTrue(three > 450, "samples at the observed integer: " + three);
  }

  private static ParzenEstimator joint(double[][] observations) {
    return new ParzenEstimator(MIXED.parameters(), observations,
        TpeSettings.observationWeights(observations.length), TpeSettings.defaults());
  }

  private static double perParameter(double[][] observations, double[] point) {
    double total = 0;
    for (int d = 0; d < MIXED.parameters().size(); d++) {
      double[][] column = new double[observations.length][1];
      for (int i = 0; i < observations.length; i++) {
        column[i][0] = observations[i][d];
      }
      total += new ParzenEstimator(List.of(MIXED.parameters().get(d)), column,
          TpeSettings.observationWeights(observations.length), TpeSettings.defaults())
          .logPdf(new double[] {point[d]});
    }
    return total;
  }

  private static double[] internal(Trial trial) {
    List<Parameter> parameters = MIXED.parameters();
    double[] row = new double[parameters.size()];
    for (int d = 0; d < row.length; d++) {
      row[d] = parameters.get(d).internal(trial.values().get(parameters.get(d).name()));
    }
    return row;
  }

  private double[] optunaLogPdf(double[][] observations, double[][] points, boolean multivariate)
      throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode request = mapper.createObjectNode();
    ArrayNode space = request.putArray("space");
    for (Parameter parameter : MIXED.parameters()) {
      ObjectNode p = space.addObject().put("name", parameter.name());
      if (parameter instanceof Choice choice) {
        p.put("kind", "choice");
        choice.choices().forEach(p.putArray("choices")::add);
      } else if (parameter instanceof IntRange range) {
        p.put("kind", "int").put("low", range.low()).put("high", range.high()).put("log", range.log());
      } else {
        FloatRange range = (FloatRange) parameter;
        p.put("kind", "float").put("low", range.low()).put("high", range.high()).put("log", range.log());
      }
    }
    request.set("observations", mapper.valueToTree(observations));
    request.set("points", mapper.valueToTree(points));
    request.put("multivariate", multivariate);
    Path input = dir.resolve("request.json");
    mapper.writeValue(input.toFile(), request);
    Path script = Path.of(getClass().getResource("/sweep/optuna_parzen.py").getPath());
    String out = PythonEnv.get().run(script, List.of(input.toString()), Map.of());
    return out.lines().filter(l -> !l.isBlank()).mapToDouble(Double::parseDouble).toArray();
  }
}
