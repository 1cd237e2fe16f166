package org.trajlab.probes.curvature.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.trajlab.probes.curvature.internal.HessianOperator;
import org.trajlab.probes.curvature.internal.Lanczos;
import org.trajlab.probes.curvature.internal.Lanczos.Eigenpairs;
import org.trajlab.probes.curvature.internal.Vec;

public class LanczosTest {
  static final int N = 300;

  /** a spectrum with negative values, a close cluster and a bulk, largest |lambda| = 50 */
  static double[] spectrum(long seed) {
    Random rnd = new Random(seed);
    double[] l = new double[N];
    for (int i = 0; i < N; i++) l[i] = rnd.nextDouble() * 2 - 0.5; // bulk in [-0.5, 1.5)
    l[0] = 50;
    l[1] = -30;
    l[2] = 20;
    l[3] = 20 + 1e-6; // a cluster
    l[4] = 20 - 1e-6;
    l[5] = -12;
    l[6] = 8;
    l[7] = 5;
    l[8] = 4.5;
    l[9] = -4;
    return l;
  }

  static void assertPairs(double[] expected, Eigenpairs r, double rel, int count) {
    for (int i = 0; i < count; i++) {
      assertEquals(expected[i], r.values()[i], rel * Math.abs(expected[0]), "lambda_" + (i + 1));
    }
  }

  static double[][] dense;

  static HessianOperator op(double[][] a) {
    return HessianOperator.dense(a);
  }

  @Test
  public void topTenOfAKnownSpectrumToTenDigits() {
    double[] l = spectrum(1);
    double[][] a = Dense.withSpectrum(l, 2);
    Eigenpairs r = Lanczos.topK(op(a), new Lanczos.Options().k(10).tol(1e-12).maxHvps(5000).maxRestarts(200).seed(3));
    double[] want = Dense.byMagnitude(l);
    assertPairs(want, r, 1e-10, 10);
    for (int i = 0; i < 10; i++) {
      assertTrue(r.converged()[i], "pair " + (i + 1));
      assertTrue(r.residuals()[i] <= 1e-12 * 50, "residual " + r.residuals()[i]);
      // the reported residual is the true one
      double[] hy = new double[N];
      op(a).apply(r.vectors()[i], hy);
      Vec.axpy(-r.values()[i], r.vectors()[i], hy);
      assertEquals(Vec.norm(hy), r.residuals()[i], 1e-14 * 50);
      assertEquals(1.0, Vec.norm(r.vectors()[i]), 1e-12);
    }
    System.out.println("lanczos cold k=10 tol=1e-12 N=300: " + r.hvps() + " HVPs, " + r.restarts() + " restarts, max |err| "
        + maxErr(want, r, 10));
  }

  static double maxErr(double[] want, Eigenpairs r, int k) {
    double m = 0;
    for (int i = 0; i < k; i++) m = Math.max(m, Math.abs(want[i] - r.values()[i]));
    return m;
  }

  /** a doubly repeated top eigenvalue: block 2 finds both copies; block 1 at least finds the value */
  @Test
  public void repeatedTopEigenvalue() {
    double[] l = spectrum(4);
    l[1] = 50; // lambda_1 = lambda_2 = 50
    double[][] a = Dense.withSpectrum(l, 5);
    double[] want = Dense.byMagnitude(l);
    Eigenpairs b2 = Lanczos.topK(op(a), new Lanczos.Options().k(6).tol(1e-12).block(2).maxHvps(5000).maxRestarts(200));
    assertPairs(want, b2, 1e-10, 6);
    assertTrue(b2.allConverged());
    Eigenpairs b1 = Lanczos.topK(op(a), new Lanczos.Options().k(6).tol(1e-12).block(1).maxHvps(5000).maxRestarts(200));
    assertEquals(50, b1.values()[0], 1e-10 * 50);
    System.out.println("repeated top: block 2 " + b2.hvps() + " HVPs; block 1 values " + java.util.Arrays.toString(b1.values()));
  }

  @Test
  public void tinyBudgetIsNeverConverged() {
    double[] l = spectrum(6);
    double[][] a = Dense.withSpectrum(l, 7);
    Eigenpairs r = Lanczos.topK(op(a), new Lanczos.Options().k(5).tol(1e-10).maxHvps(12).maxRestarts(0));
    assertEquals(12 + 5, r.hvps(), "the budget plus one verification product per pair");
    int conv = 0;
    for (int i = 0; i < 5; i++) {
      if (r.converged()[i]) {
        conv++;
        assertTrue(r.residuals()[i] <= 1e-10 * Math.abs(r.values()[0]));
      } else {
        assertTrue(r.residuals()[i] > 1e-10 * Math.abs(r.values()[0]));
      }
    }
    assertFalse(r.allConverged());
    assertTrue(conv < 5);
  }

  @Test
  public void warmStartNeedsFewerProducts() {
    // a slowly decaying spectrum (small relative gaps), so that a cold start needs restarts
    double[] l = new double[N];
    for (int i = 0; i < N; i++) l[i] = (i % 3 == 2 ? -0.5 : 1) * 50 * Math.exp(-i / 25.0);
    double[][] a = Dense.withSpectrum(l, 9);
    Lanczos.Options o = new Lanczos.Options().k(10).tol(1e-5).maxHvps(5000).maxRestarts(200).seed(1);
    Eigenpairs first = Lanczos.topK(op(a), o);
    // perturb: A + 1e-3 * symmetric noise
    Random rnd = new Random(10);
    double[][] b = new double[N][N];
    for (int i = 0; i < N; i++) {
      for (int j = 0; j <= i; j++) {
        double e = 1e-3 * rnd.nextGaussian();
        b[i][j] = a[i][j] + e;
        b[j][i] = a[j][i] + e;
      }
    }
    Eigenpairs cold = Lanczos.topK(op(b), new Lanczos.Options().k(10).tol(1e-5).maxHvps(5000).maxRestarts(200).seed(2));
    Eigenpairs warm = Lanczos.topK(op(b),
        new Lanczos.Options().k(10).tol(1e-5).maxHvps(5000).maxRestarts(200).seed(2).warmStart(first.vectors()));
    assertTrue(cold.allConverged() && warm.allConverged());
    for (int i = 0; i < 10; i++) assertEquals(cold.values()[i], warm.values()[i], 1e-6 * 50);
    System.out.println("warm start: cold " + cold.hvps() + " HVPs, warm " + warm.hvps() + " HVPs");
    assertTrue(warm.hvps() < cold.hvps(), "warm " + warm.hvps() + " vs cold " + cold.hvps());
  }

  /**
   * diag(lambda) in a fixed random rotation Q = R_1 R_2 R_3 (three seeded Householder reflections, so every
   * eigenvector is dense and a product costs O(n)): A v = Q diag(lambda) Q^T v, eigenvector i = Q e_i.
   */
  static HessianOperator rotatedDiagonal(double[] lambda, long seed) {
    int n = lambda.length;
    Random rnd = new Random(seed);
    double[][] u = new double[3][];
    for (int r = 0; r < 3; r++) {
      u[r] = Vec.gaussian(n, null, rnd);
      Vec.scale(1 / Vec.norm(u[r]), u[r]);
    }
    return new HessianOperator() {
      @Override
      public int dim() {
        return n;
      }

      @Override
      public void apply(double[] v, double[] out) {
        double[] x = v.clone();
        for (int r = 2; r >= 0; r--) Vec.axpy(-2 * Vec.dot(u[r], x), u[r], x); // Q^T = R_3 R_2 R_1
        for (int i = 0; i < n; i++) x[i] *= lambda[i];
        for (int r = 0; r < 3; r++) Vec.axpy(-2 * Vec.dot(u[r], x), u[r], x); // Q = R_1 R_2 R_3
        System.arraycopy(x, 0, out, 0, n);
      }
    };
  }

  /** top {10, 9, 8, 7, 6} over a bulk in [-1, 4), then a new eigenvalue {@code fresh} in place of bulk entry 1234 */
  static double[][] spectraWithANewTop(int n, double fresh) {
    Random rnd = new Random(21);
    double[] before = new double[n];
    for (int i = 0; i < n; i++) before[i] = rnd.nextDouble() * 5 - 1;
    for (int i = 0; i < 5; i++) before[i] = 10 - i;
    double[] after = before.clone();
    after[1234] = fresh; // its eigenvector Q e_1234 is orthogonal to the old top five
    return new double[][] { before, after };
  }

  /**
   * Between two calls a NEW eigenvalue (20, and the harder 11 and 10.2, just above the old lambda_1 = 10) appears in
   * a direction orthogonal to the old top eigenvectors. The warm start from the old vectors must not stop on the old
   * pairs: lambda_1 must be the new value, and every pair flagged converged must be the true one of its rank, for
   * each of 10 seeds of the random part of the start (K = 5, the probe's tol 1e-3, n = 3,000). With a warm start of
   * the old vectors plus 0.01 of a random unit vector, 11 of the 30 warm runs (11: 1 seed of 10, 10.2: all 10) stopped
   * after 16 products on the old five, all flagged converged.
   */
  @Test
  public void warmStartFindsANewlyDominantDirection() {
    int n = 3000;
    int k = 5;
    double tol = 1e-3;
    StringBuilder report = new StringBuilder();
    java.util.List<String> failures = new java.util.ArrayList<>();
    for (double fresh : new double[] { 20, 11, 10.2 }) {
      double[][] sp = spectraWithANewTop(n, fresh);
      HessianOperator op1 = rotatedDiagonal(sp[0], 22);
      HessianOperator op2 = rotatedDiagonal(sp[1], 22);
      double[] want = Dense.byMagnitude(sp[1]);
      long warmHvps = 0;
      long coldHvps = 0;
      for (long seed = 0; seed < 10; seed++) {
        Eigenpairs first = Lanczos.topK(op1, new Lanczos.Options().k(k).tol(tol).seed(seed));
        assertTrue(first.allConverged());
        assertEquals(10, first.values()[0], tol * 10);
        Eigenpairs cold = Lanczos.topK(op2, new Lanczos.Options().k(k).tol(tol).seed(100 + seed));
        Eigenpairs warm = Lanczos.topK(op2, new Lanczos.Options().k(k).tol(tol).seed(100 + seed).warmStart(first.vectors()));
        coldHvps += cold.hvps();
        warmHvps += warm.hvps();
        for (Eigenpairs r : new Eigenpairs[] { cold, warm }) {
          boolean wrong = Math.abs(r.values()[0] - fresh) > tol * fresh;
          for (int i = 0; i < k; i++) wrong |= r.converged()[i] && Math.abs(r.values()[i] - want[i]) > tol * fresh;
          if (wrong) {
            failures.add((r == cold ? "cold" : "warm") + " start, new " + fresh + ", seed " + seed + ": "
                + java.util.Arrays.toString(r.values()) + " flagged " + java.util.Arrays.toString(r.converged())
                + " after " + r.hvps() + " HVPs");
          }
        }
      }
      report.append(String.format(java.util.Locale.ROOT, "new %s: cold %.1f, warm %.1f HVPs per call; ", fresh,
          coldHvps / 10.0, warmHvps / 10.0));
    }
    System.out.println("warm start with a newly dominant direction (n = 3000, K = 5, tol 1e-3): " + report);
    assertTrue(failures.isEmpty(), () -> failures.size() + " of 60 runs missed the new eigenvalue or flagged a wrong pair "
        + "converged, e.g. " + failures.get(0));
  }

  @Test
  public void maskedEntriesStayZeroAndSmallOperatorsGoDense() {
    double[] l = { 3, -7, 1, 0.5, 2 };
    double[][] a5 = Dense.withSpectrum(l, 11);
    // embed into 7 dims with two untrainable entries (rows/cols 0 there, as the objective promises)
    double[][] a = new double[7][7];
    int[] map = { 0, 2, 3, 5, 6 };
    for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) a[map[i]][map[j]] = a5[i][j];
    boolean[] mask = { true, false, true, true, false, true, true };
    Eigenpairs r = Lanczos.topK(op(a), new Lanczos.Options().k(3).tol(1e-12).mask(mask));
    assertEquals("dense", r.method());
    assertEquals(-7, r.values()[0], 1e-12);
    assertEquals(3, r.values()[1], 1e-12);
    assertEquals(2, r.values()[2], 1e-12);
    for (double[] v : r.vectors()) {
      assertEquals(0.0, v[1]);
      assertEquals(0.0, v[4]);
    }
    assertTrue(r.allConverged());
  }

  @Test
  public void maskedLargeOperator() {
    double[] l = spectrum(12);
    double[][] a = Dense.withSpectrum(l, 13);
    boolean[] mask = new boolean[N + 40];
    double[][] big = new double[N + 40][N + 40];
    int c = 0;
    int[] map = new int[N];
    for (int i = 0; i < N + 40; i++) {
      mask[i] = !(i % 8 == 3 && i / 8 < 40); // 40 untrainable entries spread over the vector
      if (mask[i]) map[c++] = i;
    }
    for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) big[map[i]][map[j]] = a[i][j];
    Eigenpairs r = Lanczos.topK(op(big), new Lanczos.Options().k(5).tol(1e-11).mask(mask).maxHvps(5000).maxRestarts(100));
    assertPairs(Dense.byMagnitude(l), r, 1e-10, 5);
    for (double[] v : r.vectors()) for (int i = 0; i < mask.length; i++) if (!mask[i]) assertEquals(0.0, v[i]);
  }
}
