package dev.tessera.stages.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TruncatedNormalTest {

  @Test
  void quantilesAndCdfMatchTabulatedValues() {
    assertEquals(1.959963984540054, TruncatedNormal.ndtri(0.975), 1e-6);
    assertEquals(-2.326347874040841, TruncatedNormal.ndtri(0.01), 1e-6);
    assertEquals(-4.753424308822899, TruncatedNormal.ndtri(1e-6), 1e-5);
    assertEquals(0.8413447460685429, TruncatedNormal.ndtr(1), 1e-7);
    // log Phi(-10) = log(7.619853024160527e-24), far below what Phi itself keeps in a double's precision.
    assertEquals(Math.log(7.619853024160527e-24), TruncatedNormal.logNdtr(-10), 1e-5);
    assertEquals(Math.log(7.619853024160527e-24), TruncatedNormal.logGaussMass(10, 40), 1e-5);
  }

  @Test
  void massOfAnIntervalIsTheCdfDifference() {
    assertEquals(Math.log(0.6826894921370859), TruncatedNormal.logGaussMass(-1, 1), 1e-7);
    assertEquals(Math.log(0.8413447460685429 - 0.5), TruncatedNormal.logGaussMass(0, 1), 1e-7);
  }

  @Test
  void samplesFollowTheTruncatedDensity() {
    Random random = new Random(2);
    double sum = 0;
    int n = 20000;
    for (int i = 0; i < n; i++) {
      double x = TruncatedNormal.sample(0, 1, 0, 10, random.nextDouble());
      assertTrue(x >= 0 && x <= 10);
      sum += x;
    }
    // The half-normal's mean is sqrt(2 / pi) = 0.7979.
    assertEquals(Math.sqrt(2 / Math.PI), sum / n, 0.02);
    double density = Math.exp(TruncatedNormal.logPdf(0.5, 0, 1, 0, 10));
    assertEquals(2 * Math.exp(-0.125) / Math.sqrt(2 * Math.PI), density, 1e-6);
  }
}
