package org.trajlab.probes.curvature.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.trajlab.probes.curvature.internal.HessianOperator;
import org.trajlab.probes.curvature.internal.Hutchinson;
import org.trajlab.probes.curvature.internal.SpectralDensity;

public class TraceDensityTest {

  @Test
  public void hutchinsonWithinThreeStandardErrorsOfTheExactTrace() {
    Random rnd = new Random(1);
    double[] l = new double[200];
    double sum = 0;
    for (int i = 0; i < l.length; i++) {
      l[i] = rnd.nextGaussian() * 3 + 1;
      sum += l[i];
    }
    HessianOperator op = HessianOperator.dense(Dense.withSpectrum(l, 2));
    double exact = Hutchinson.exactTrace(op, null);
    assertEquals(sum, exact, 1e-10 * Math.abs(sum) + 1e-10);
    Hutchinson.Estimate e = Hutchinson.trace(op, 300, 7, null);
    System.out.println("hutchinson: exact " + exact + ", estimate " + e.mean() + " +- " + e.stderr());
    assertTrue(e.stderr() > 0);
    assertTrue(Math.abs(e.mean() - exact) <= 3 * e.stderr(), e.mean() + " vs " + exact + " +- " + e.stderr());
    assertEquals(300, e.products());
  }

  @Test
  public void hutchinsonIsExactOnADiagonalAndRespectsTheMask() {
    double[][] a = new double[5][5];
    double[] d = { 1, -2, 3, 0, 7 };
    for (int i = 0; i < 5; i++) a[i][i] = d[i];
    boolean[] mask = { true, true, true, false, true };
    Hutchinson.Estimate e = Hutchinson.trace(HessianOperator.dense(a), 4, 3, mask);
    assertEquals(9, e.mean(), 1e-15);
    assertEquals(0, e.stderr(), 1e-15);
    assertEquals(9, Hutchinson.exactTrace(HessianOperator.dense(a), mask), 1e-15);
  }

  /** on a diagonal matrix z^T H z / ||z||^2 = Tr/P exactly for Rademacher z, so the first moment is Tr/P */
  @Test
  public void slqWeightsSumToOneAndTheFirstMomentIsTracePerParameter() {
    int n = 150;
    double[][] a = new double[n][n];
    double tr = 0;
    for (int i = 0; i < n; i++) {
      a[i][i] = i < 5 ? 40 - 5 * i : Math.sin(i) * 2;
      tr += a[i][i];
    }
    SpectralDensity.Quadrature q = SpectralDensity.quadrature(HessianOperator.dense(a), 40, 4, 5, null);
    for (int v = 0; v < 4; v++) {
      double s = 0;
      for (double w : q.weights()[v]) s += w;
      assertEquals(1, s, 1e-12, "weights of probe vector " + v);
    }
    assertEquals(1, q.moment(0), 1e-12);
    assertEquals(tr / n, q.moment(1), 1e-10);
    assertEquals(40, q.max(), 1e-8, "the extreme node converges to lambda_max");
    // the broadened density integrates to ~1
    double sigma = 0.2;
    double[] g = SpectralDensity.grid(q.min() - 6 * sigma, q.max() + 6 * sigma, 4001);
    double[] phi = q.density(g, sigma);
    double integral = 0;
    for (int i = 1; i < g.length; i++) integral += 0.5 * (phi[i] + phi[i - 1]) * (g[i] - g[i - 1]);
    assertEquals(1, integral, 1e-6);
    assertEquals(160, q.products());
  }

  /** on a dense matrix the second moment estimates Tr(H^2)/P */
  @Test
  public void slqSecondMomentOnADenseMatrix() {
    double[] l = new double[120];
    double sq = 0;
    for (int i = 0; i < l.length; i++) {
      l[i] = i < 3 ? 10 - i : (i % 7) * 0.3 - 0.5;
      sq += l[i] * l[i];
    }
    SpectralDensity.Quadrature q = SpectralDensity.quadrature(HessianOperator.dense(Dense.withSpectrum(l, 9)), 30, 40, 2, null);
    double m2 = q.moment(2);
    System.out.println("slq: second moment " + m2 + " vs Tr(H^2)/P " + sq / l.length);
    assertEquals(sq / l.length, m2, 0.15 * sq / l.length);
  }
}
