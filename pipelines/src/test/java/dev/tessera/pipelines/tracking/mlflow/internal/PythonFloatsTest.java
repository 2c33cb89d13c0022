package dev.tessera.pipelines.tracking.mlflow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.pipelines.testing.PythonEnv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PythonFloatsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "NaN, nan",
      "Infinity, inf",
      "-Infinity, -inf",
      "0.0, 0.0",
      "-0.0, -0.0",
      "1.0, 1.0",
      "100.0, 100.0",
      "0.1, 0.1",
      "-2.5, -2.5",
      "1e-05, 1e-05",
      "0.0001, 0.0001",
      "0.00012345, 0.00012345",
      "1.5e20, 1.5e+20",
      "1e16, 1e+16",
      "1e15, 1000000000000000.0",
      "123456789012345678, 1.2345678901234568e+17",
      "9007199254740993, 9007199254740992.0",
      "0.30000000000000004, 0.30000000000000004",
      "2e-7, 2e-07",
      "1.7976931348623157e308, 1.7976931348623157e+308",
      "4.9e-324, 5e-324",
      "2.2250738585072014e-308, 2.2250738585072014e-308",
      "1e23, 1e+23",
      "0.9875, 0.9875",
  })
  void formatsLikePythonRepr(double value, String python) {
    assertEquals(python, PythonFloats.repr(value));
  }

  @Test
  void formatsFloatWidenedValuesLikePython() {
    // What a float metric widened to double looks like: 0.1f is 0.10000000149011612.
    assertEquals("0.10000000149011612", PythonFloats.repr(0.1f));
  }

  @Test
  void agreesWithPythonOnRandomDoubles(@TempDir Path tmp) throws IOException {
    SplittableRandom random = new SplittableRandom(42);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      switch (i % 3) {
        case 0 -> values.add(Double.longBitsToDouble(random.nextLong())); // any bit pattern, any exponent
        case 1 -> values.add(random.nextDouble() * Math.pow(10, random.nextInt(-8, 20)));
        default -> values.add((double) (float) random.nextDouble()); // float-valued metrics
      }
    }
    StringBuilder hex = new StringBuilder();
    StringBuilder expected = new StringBuilder();
    for (double v : values) {
      hex.append(Long.toHexString(Double.doubleToRawLongBits(v))).append('\n');
      expected.append(PythonFloats.repr(v)).append('\n');
    }
    Path input = Files.writeString(tmp.resolve("bits.txt"), hex);
    Path script = Files.writeString(tmp.resolve("repr.py"), String.join("\n",
        "import struct, sys",
        "for line in open(sys.argv[1]):",
        "    print(repr(struct.unpack('>d', bytes.fromhex(line.strip().rjust(16, '0')))[0]))",
        ""));
    String python = PythonEnv.get().run(script, List.of(input.toString()), Map.of());
    assertEquals(python, expected.toString());
  }
}
