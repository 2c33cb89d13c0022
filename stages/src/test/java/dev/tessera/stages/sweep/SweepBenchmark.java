package dev.tessera.stages.sweep;

import dev.tessera.pipelines.testing.PythonEnv;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Tessera's TPE against Tessera's random search and Optuna's default TPE on the benchmark functions: the median
 * over seeds of the best value found after the same number of trials. Prints a Markdown table.
 *
 * <p>Arguments: {@code [trials] [seeds] [python]}; without a python executable the shared test venv is used.
 */
public final class SweepBenchmark {
  private SweepBenchmark() {}

  /** One row of the table: the median best values of the three strategies on one function. */
  record Row(BenchmarkFunction function, double tpe, double random, double optuna, int tpeBeatsRandom,
      int tpeBeatsOptuna) {}

  public static void main(String[] args) {
    int trials = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Path python = args.length > 2 ? Path.of(args[2]) : PythonEnv.get().python();
    System.out.println(table(run(trials, seeds, python), trials, seeds));
  }

  static List<Row> run(int trials, int seeds, Path python) {
    List<BenchmarkFunction> functions =
        List.of(BenchmarkFunction.mixedSphere(), BenchmarkFunction.branin(), BenchmarkFunction.hartmann6());
    List<Row> rows = new ArrayList<>();
    for (BenchmarkFunction function : functions) {
      double[] tpe = bests(seeds, seed -> function.bestValue(
          new TpeSearch(function.space(), Direction.MINIMIZE), trials, seed));
      double[] random = bests(seeds, seed -> function.bestValue(new RandomSearch(function.space()), trials, seed));
      double[] optuna = optuna(python, function.name(), trials, seeds);
      rows.add(new Row(function, median(tpe), median(random), median(optuna), wins(tpe, random), wins(tpe, optuna)));
    }
    return rows;
  }

  static String table(List<Row> rows, int trials, int seeds) {
    StringBuilder out = new StringBuilder();
    out.append("| function | minimum | Tessera TPE | Tessera random | Optuna TPE | TPE < random (seeds) "
        + "| TPE < Optuna (seeds) |\n| --- | --- | --- | --- | --- | --- | --- |\n");
    for (Row row : rows) {
      out.append(String.format("| %s | %.5f | %.5f | %.5f | %.5f | %d/%d | %d/%d |%n", row.function().name(),
          row.function().minimum(), row.tpe(), row.random(), row.optuna(), row.tpeBeatsRandom(), seeds,
          row.tpeBeatsOptuna(), seeds));
    }
    out.append("(median best value after ").append(trials).append(" trials over ").append(seeds)
        .append(" seeds; lower is better)");
    return out.toString();
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
  }

  static double[] optuna(Path python, String function, int trials, int seeds) {
    List<String> command = new ArrayList<>(List.of(python.toString(), script().toString(), function,
        Integer.toString(trials)));
    for (int seed = 0; seed < seeds; seed++) {
      command.add(Integer.toString(seed));
    }
    String out = PythonEnv.exec(command, Map.of(), java.time.Duration.ofMinutes(10));
    return out.lines().filter(line -> !line.isBlank())
        .mapToDouble(line -> Double.parseDouble(line.trim().split("\\s+")[1])).toArray();
  }

  private static double[] bests(int seeds, Function<Long, Double> best) {
    double[] out = new double[seeds];
    for (int seed = 0; seed < seeds; seed++) {
      out[seed] = best.apply((long) seed);
    }
    return out;
  }

  private static int wins(double[] a, double[] b) {
    int wins = 0;
    for (int i = 0; i < a.length; i++) {
      wins += a[i] < b[i] ? 1 : 0;
    }
    return wins;
  }

  private static Path script() {
    try {
      return Path.of(SweepBenchmark.class.getResource("/sweep/optuna_tpe.py").toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("sweep/optuna_tpe.py is missing from the test class path", e);
    }
  }
}
