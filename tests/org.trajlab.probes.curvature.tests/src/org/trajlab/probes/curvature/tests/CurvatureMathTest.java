package org.trajlab.probes.curvature.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.trajlab.api.objective.WeightMatrix;
import org.trajlab.probes.curvature.internal.CurvatureMath;
import org.trajlab.probes.curvature.internal.HessianSettings;

public class CurvatureMathTest {

  @Test
  public void frobeniusFromTheTopFive() {
    assertEquals(Math.sqrt(9 + 16 + 1 + 1 + 4), CurvatureMath.frobeniusTop5(new double[] { 3, -4, 1, 1, 2, 100 }), 1e-15);
    assertEquals(5, CurvatureMath.frobeniusTop5(new double[] { 3, 4 }), 1e-15);
  }

  @Test
  public void gridContainsZeroAndEnds() {
    double[] k = CurvatureMath.kGrid(17);
    assertEquals(-8, k[0]);
    assertEquals(0, k[8]);
    assertEquals(8, k[16]);
    assertEquals(1, k[9], 1e-15);
  }

  /**
   * L(theta) = 1/2 lambda x^2 + 1/2 mu y^2 with e_1 = (1, 0): along e_1, L(theta + k D e_1) - L(theta) =
   * k D lambda x + 1/2 k^2 D^2 lambda; with x = 0 it is 1/2 lambda D^2 k^2, so |dL| >= p L(theta) first at
   * |k| = sqrt(2 p L / (lambda D^2)), rounded up to the grid.
   */
  @Test
  public void kminOnAQuadratic() {
    double lambda = 10;
    double mu = 1;
    double[] theta = { 0, 2 };
    double l0 = 0.5 * mu * 4;
    java.util.function.ToDoubleFunction<double[]> loss = t -> 0.5 * lambda * t[0] * t[0] + 0.5 * mu * t[1] * t[1];
    double lr = 0.05;
    // mini-batch gradients with e_1 components +-0.2 and 0.6: Delta_1 = lr * mean |.| = 0.05 * (0.2 + 0.2 + 0.6) / 3
    List<double[]> gs = List.of(new double[] { 0.2, 1 }, new double[] { -0.2, 3 }, new double[] { 0.6, 0 });
    double[] e1 = { 1, 0 };
    double delta = CurvatureMath.typicalStep(lr, gs, e1);
    assertEquals(0.05 / 3, delta, 1e-16);
    double[] ks = CurvatureMath.kGrid(33);
    double[] ls = CurvatureMath.lossAlong(loss, theta, e1, delta, ks);
    for (int i = 0; i < ks.length; i++) {
      assertEquals(l0 + 0.5 * lambda * Math.pow(ks[i] * delta, 2), ls[i], 1e-14);
    }
    double kstar = Math.sqrt(2 * 0.01 * l0 / (lambda * delta * delta));
    assertEquals(Math.ceil(kstar * 2) / 2, CurvatureMath.kmin(ks, ls, l0, 0.01), 1e-12, "the grid step is 0.5");
    // p = 1% at kstar = sqrt(0.04 / (10 * 2.78e-4)) = 3.79 -> 4.0; p = 10% at 12.0 -> beyond the grid: NaN
    assertEquals(4.0, CurvatureMath.kmin(ks, ls, l0, 0.01), 1e-12);
    assertTrue(Double.isNaN(CurvatureMath.kmin(ks, ls, l0, 0.10)));
  }

  /**
   * Step test on L = 1/2 lambda x^2 + 1/2 mu y^2: theta - a lr <g, e_1> e_1 moves x by -a lr g_x, so
   * E_B[L] - L = mean_B 1/2 lambda ((x - a lr g_x)^2 - x^2).
   */
  @Test
  public void stepTestOnAQuadratic() {
    double lambda = 4;
    double mu = 0.5;
    double[] theta = { 1.5, -1 };
    java.util.function.ToDoubleFunction<double[]> loss = t -> 0.5 * lambda * t[0] * t[0] + 0.5 * mu * t[1] * t[1];
    double l0 = loss.applyAsDouble(theta);
    double lr = 0.1;
    List<double[]> gs = List.of(new double[] { 6, 1 }, new double[] { 5, -2 }, new double[] { 7, 0.5 });
    double[] as = { 0.25, 0.5, 1, 2, 4 };
    double[] got = CurvatureMath.stepTest(loss, theta, l0, lr, gs, new double[] { -1, 0 }, as);
    for (int i = 0; i < as.length; i++) {
      double s = 0;
      for (double[] g : gs) {
        double x = theta[0] - as[i] * lr * g[0];
        s += 0.5 * lambda * (x * x - theta[0] * theta[0]);
      }
      assertEquals(s / 3, got[i], 1e-13, "a = " + as[i]);
    }
    // full-batch gradient lambda x = 6: a lr lambda = 0.1 a * 4 -> a = 5 would reach the minimum; a = 4 decreases
    assertTrue(got[4] < 0);
  }

  @Test
  public void spectralNormAgainstClosedForms() {
    // 2x2: sigma_max^2 = (F + sqrt(F^2 - 4 det^2)) / 2 with F = ||W||_F^2; W = [[1, 2], [3, 4]] column-major
    double[] theta = { 99, 1, 3, 2, 4, 99 };
    double f = 1 + 4 + 9 + 16;
    double det = 1 * 4 - 2 * 3;
    double expected = Math.sqrt((f + Math.sqrt(f * f - 4 * det * det)) / 2);
    assertEquals(expected, CurvatureMath.spectralNorm(theta, new WeightMatrix("w", 1, 2, 2), 1e-14, 10000, 1), 1e-12);
    // 3x3: a rotation times diag(5, 3, 1): sigma_max = 5
    double c = Math.cos(0.7);
    double s = Math.sin(0.7);
    double[][] w = { { 5 * c, -3 * s, 0 }, { 5 * s, 3 * c, 0 }, { 0, 0, 1 } };
    double[] t3 = new double[9];
    for (int r = 0; r < 3; r++) for (int col = 0; col < 3; col++) t3[r + 3 * col] = w[r][col];
    assertEquals(5, CurvatureMath.spectralNorm(t3, new WeightMatrix("w", 0, 3, 3), 1e-14, 10000, 2), 1e-12);
    // a 1x3 row: sigma = its norm; the mean over the two matrices
    double[] both = new double[12];
    System.arraycopy(t3, 0, both, 0, 9);
    both[9] = 1;
    both[10] = 2;
    both[11] = 2;
    assertEquals((5 + 3) / 2.0, CurvatureMath.meanSpectralNorm(both,
        List.of(new WeightMatrix("a", 0, 3, 3), new WeightMatrix("b", 9, 1, 3))), 1e-12);
  }

  @Test
  public void defaultSubsetIsFivePercentCappedAt2560() {
    assertEquals(50, HessianSettings.defaultSubset(1000));
    assertEquals(2560, HessianSettings.defaultSubset(60000));
    assertEquals(1, HessianSettings.defaultSubset(3));
  }
}
