package org.trajlab.probes.noise.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.trajlab.probes.noise.internal.NoiseMath;

/** The pure functions of the noise probe against hand computations and explicit forms. */
public class NoiseMathTest {
  /**
   * The Jacobi eigen-solver against commons-math's EigenDecomposition and against its own definition (Av = λv, the
   * vectors orthonormal) on symmetric matrices of the noise probe's kinds: indefinite, centred Gram matrices of fewer
   * parameters than groups (a large null space), repeated eigenvalues, a diagonal one, 1 × 1 and widely spread values.
   */
  @Test
  public void symmetricEigenMatchesCommonsMathAndItsDefinition() {
    Random r = new Random(11);
    java.util.List<double[][]> cases = new java.util.ArrayList<>();
    for (int n : new int[] { 1, 2, 5, 25, 40 }) {
      double[][] s = new double[n][n];
      for (int i = 0; i < n; i++) for (int j = 0; j <= i; j++) s[i][j] = s[j][i] = r.nextGaussian();
      cases.add(s); // indefinite
    }
    for (int p : new int[] { 3, 24, 200 }) { // centred Gram of 25 gradients of p entries (rank min(p, 24))
      double[][] g = new double[25][p];
      for (double[] row : g) for (int i = 0; i < p; i++) row[i] = r.nextGaussian() * (1 + 10 * r.nextDouble());
      double[][] raw = new double[25][25];
      for (int a = 0; a < 25; a++) for (int b = 0; b < 25; b++) raw[a][b] = dot(g[a], g[b]);
      cases.add(NoiseMath.centredGram(raw));
    }
    double[][] q = randomOrthogonal(r, 12); // Q diag(5,5,5,1,...,1e-9) Qᵀ: repeated and widely spread values
    double[] d = { 5, 5, 5, 1, 1, 0.5, 1e-3, 1e-5, 1e-7, 1e-9, 0, 0 };
    double[][] spread = new double[12][12];
    for (int i = 0; i < 12; i++) for (int j = 0; j < 12; j++) for (int k = 0; k < 12; k++) spread[i][j] += q[i][k] * d[k] * q[j][k];
    cases.add(spread);
    cases.add(new double[][] { { 3, 0, 0 }, { 0, -1, 0 }, { 0, 0, 2 } });
    for (double[][] a : cases) {
      int n = a.length;
      double[][] vectors = new double[n][];
      double[] values = NoiseMath.symmetricEigen(a, vectors);
      double norm = 0;
      for (double[] row : a) for (double x : row) norm = Math.max(norm, Math.abs(x));
      double[] expected = new org.apache.commons.math3.linear.EigenDecomposition(
          new org.apache.commons.math3.linear.Array2DRowRealMatrix(a)).getRealEigenvalues().clone();
      Arrays.sort(expected);
      for (int i = 0; i < n; i++) {
        assertEquals(expected[n - 1 - i], values[i], 1e-13 * Math.max(norm, 1e-300) * n, "value " + i + " of " + n);
        if (i > 0) assertTrue(values[i] <= values[i - 1], "largest first");
        for (int row = 0; row < n; row++) { // A v − λ v
          assertEquals(values[i] * vectors[i][row], dot(a[row], vectors[i]), 1e-13 * Math.max(norm, 1e-300) * n);
        }
        for (int j = 0; j <= i; j++) assertEquals(i == j ? 1 : 0, dot(vectors[i], vectors[j]), 1e-13 * n);
      }
    }
    // a known case: [[2, 1], [1, 2]] has 3 along (1, 1)/√2 and 1 along (1, −1)/√2
    double[][] v = new double[2][];
    assertArrayEquals(new double[] { 3, 1 }, NoiseMath.symmetricEigen(new double[][] { { 2, 1 }, { 1, 2 } }, v), 1e-15);
    assertEquals(1 / Math.sqrt(2), Math.abs(v[0][0]), 1e-15);
    assertEquals(v[0][0], v[0][1], 1e-15);
    assertEquals(-v[1][0], v[1][1], 1e-15);
  }

  private static double[][] randomOrthogonal(Random r, int n) {
    double[][] q = new double[n][n];
    for (int j = 0; j < n; j++) { // Gram-Schmidt on Gaussian columns
      double[] c = new double[n];
      for (int i = 0; i < n; i++) c[i] = r.nextGaussian();
      for (int k = 0; k < j; k++) {
        double proj = 0;
        for (int i = 0; i < n; i++) proj += c[i] * q[i][k];
        for (int i = 0; i < n; i++) c[i] -= proj * q[i][k];
      }
      double nn = Math.sqrt(dot(c, c));
      for (int i = 0; i < n; i++) q[i][j] = c[i] / nn;
    }
    return q;
  }

  /** the Gram matrix centred from raw inner products equals the inner products of explicitly centred vectors, over L */
  @Test
  public void centredGramIsTheGramOfCentredGradients() {
    Random r = new Random(3);
    int l = 7;
    int p = 11;
    double[][] g = new double[l][p];
    for (double[] row : g) for (int i = 0; i < p; i++) row[i] = r.nextGaussian() + 2;
    double[][] raw = new double[l][l];
    for (int a = 0; a < l; a++) for (int b = 0; b < l; b++) raw[a][b] = dot(g[a], g[b]);
    double[] mean = new double[p];
    for (double[] row : g) for (int i = 0; i < p; i++) mean[i] += row[i] / l;
    double[][] centred = NoiseMath.centredGram(raw);
    for (int a = 0; a < l; a++) {
      for (int b = 0; b < l; b++) {
        double explicit = 0;
        for (int i = 0; i < p; i++) explicit += (g[a][i] - mean[i]) * (g[b][i] - mean[i]) / l;
        assertEquals(explicit, centred[a][b], 1e-12, "G_" + a + b);
      }
    }
    double tr = 0;
    for (int a = 0; a < l; a++) for (int i = 0; i < p; i++) tr += (g[a][i] - mean[i]) * (g[a][i] - mean[i]) / l;
    assertEquals(tr, NoiseMath.traceK(centred), 1e-12);
  }

  /** lambda_1, the (L-1)-th eigenvalue and their ratio, read off sorted eigenvalues */
  @Test
  public void spectrumReadings() {
    double[] v = { 8, 4, 2, 1, 1e-17 };
    assertEquals(8, NoiseMath.lambdaMaxK(v));
    assertEquals(1, NoiseMath.lambdaMinNonzeroK(v));
    assertEquals(0.125, NoiseMath.conditioningK(v));
  }

  /** (1 - lr lambda)^2 + s^2 lr^2 (N - S)/(S (N - 1)) by hand; no noise term with S = N */
  @Test
  public void stabilityLhsByHand() {
    // (1 - 0.1·15)² = 0.25; 400 · 0.01 · 900 / (100 · 999) = 3600 / 99900
    assertEquals(0.25 + 3600.0 / 99900, NoiseMath.stabilityLhs(0.1, 15, 400, 1000, 100), 1e-15);
    assertEquals(0.81, NoiseMath.stabilityLhs(0.01, 10, 400, 1000, 1000), 1e-15);
    assertEquals(1, NoiseMath.stabilityLhs(0.1, 20, 0, 1000, 10), 1e-15); // ηλ = 2: the edge of stability
  }

  @Test
  public void sampleVarianceDividesByNMinusOne() {
    assertEquals(2.5, NoiseMath.sampleVariance(new double[] { 1, 2, 3, 4, 5 }), 1e-15);
    assertEquals(0, NoiseMath.sampleVariance(new double[] { 7, 7, 7 }), 1e-15);
  }

  /** ||g|| / ||g_5||: 1 inside the span, sqrt(6/5) for the all-ones vector of R^6 over five unit vectors */
  @Test
  public void gradTop5RatioClosedForms() {
    double[][] top = new double[5][6];
    for (int i = 0; i < 5; i++) top[i][i] = 1;
    assertEquals(1, NoiseMath.gradTop5Ratio(new double[] { 3, 4, 0, 0, 1, 0 }, top), 1e-15);
    assertEquals(Math.sqrt(6.0 / 5), NoiseMath.gradTop5Ratio(new double[] { 1, 1, 1, 1, 1, 1 }, top), 1e-15);
    // a rotated basis: (e1 + e2)/sqrt2 and (e1 - e2)/sqrt2 span the same plane as e1, e2
    double s = Math.sqrt(0.5);
    double[][] rotated = { { s, s, 0 }, { s, -s, 0 } };
    assertEquals(13.0 / 5, NoiseMath.gradTop5Ratio(new double[] { 3, 4, 12 }, rotated), 1e-14);
    assertEquals(Double.POSITIVE_INFINITY, NoiseMath.gradTop5Ratio(new double[] { 0, 0, 0, 0, 0, 2 }, top));
  }

  /** the centred moving average cuts its window at the ends */
  @Test
  public void centredMovingAverage() {
    assertArrayEquals(new double[] { 1.5, 2, 3, 4, 4.5 }, NoiseMath.centredMovingAverage(new double[] { 1, 2, 3, 4, 5 }, 3), 1e-15);
    assertArrayEquals(new double[] { 2, 2.5, 3, 3.5, 4 }, NoiseMath.centredMovingAverage(new double[] { 1, 2, 3, 4, 5 }, 5), 1e-15);
    double[] same = { 3, 1, 4 };
    assertArrayEquals(same, NoiseMath.centredMovingAverage(same, 1));
  }

  /** a one-measurement spike does not make the smoothed peak; the broad hump does */
  @Test
  public void smoothedPeakIgnoresASpike() {
    double[] raw = { 1, 2, 8, 2, 5, 6, 5, 2, 1 };
    assertEquals(2, NoiseMath.peakIndex(raw));
    assertEquals(5, NoiseMath.peakIndex(NoiseMath.centredMovingAverage(raw, 3)));
    assertEquals(0, NoiseMath.peakIndex(new double[] { 4, 4, 1 }), "the first of equal maxima");
    assertEquals(-1, NoiseMath.peakIndex(new double[0]));
  }

  /** the first of k consecutive negative changes; shorter runs and NaN do not count */
  @Test
  public void persistentlyNegative() {
    double[] d = { 0.3, -0.1, -0.2, 0.05, -0.1, -0.3, -0.2, -0.4, 0.1 };
    assertEquals(4, NoiseMath.persistentlyNegativeFrom(d, 3));
    assertEquals(1, NoiseMath.persistentlyNegativeFrom(d, 2));
    assertEquals(1, NoiseMath.persistentlyNegativeFrom(d, 1));
    assertEquals(-1, NoiseMath.persistentlyNegativeFrom(d, 5));
    assertEquals(-1, NoiseMath.persistentlyNegativeFrom(new double[] { -1, Double.NaN, -1 }, 2));
    assertEquals(-1, NoiseMath.persistentlyNegativeFrom(new double[] { 0, 0, 0 }, 1), "zero is not negative");
  }

  @Test
  public void breakEvenIsTheFirstLhsReachingOne() {
    assertEquals(2, NoiseMath.breakEvenIndex(new double[] { 0.5, 0.99, 1.0, 0.7, 1.3 }));
    assertEquals(-1, NoiseMath.breakEvenIndex(new double[] { 0.5, 0.99 }));
  }

  /** every position once in groups of M (a remainder left out); drawn groups hold M distinct positions */
  @Test
  public void groupsOfPositions() {
    int[][] all = NoiseMath.allGroups(23, 5, new Random(1));
    assertEquals(4, all.length);
    int[] seen = Arrays.stream(all).flatMapToInt(Arrays::stream).sorted().distinct().toArray();
    assertEquals(20, seen.length);
    int[][] drawn = NoiseMath.drawnGroups(30, 6, 7, new Random(2));
    assertEquals(6, drawn.length);
    for (int[] g : drawn) {
      assertEquals(7, Arrays.stream(g).distinct().count());
      assertTrue(Arrays.stream(g).allMatch(i -> i >= 0 && i < 30));
    }
    assertArrayEquals(NoiseMath.drawnGroups(30, 6, 7, new Random(2))[3], drawn[3], "seeded");
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }
}
