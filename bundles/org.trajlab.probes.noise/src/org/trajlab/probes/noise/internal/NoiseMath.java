package org.trajlab.probes.noise.internal;

import java.util.Arrays;
import java.util.Random;

import org.trajlab.api.probe.Sampling;

/**
 * The arithmetic of paper 004's instruments (INSTRUMENTS.md section 5), as small pure functions named after the
 * quantities: the centred Gram matrix of L group gradients and what is read off its eigenvalues (lambda_1^K,
 * lambda_*^K, conditioning, trace), the top-5 ratio of a gradient, the break-even inequality's left-hand side, and
 * the summary markers (the smoothed peak of lambda_1^K, the first step of a persistently negative loss change, the
 * first step at which the left-hand side reaches 1).
 */
public final class NoiseMath {
  private NoiseMath() {}

  /**
   * G_ij = (1/L)⟨g_i − ḡ_L, g_j − ḡ_L⟩ from the raw Gram matrix R_ij = ⟨g_i, g_j⟩ alone (no gradient needed):
   * ⟨g_i − ḡ, g_j − ḡ⟩ = R_ij − r_i − r_j + r̄ with r_i the mean of row i and r̄ the mean of all entries.
   */
  public static double[][] centredGram(double[][] raw) {
    int l = raw.length;
    double[] row = new double[l];
    double all = 0;
    for (int i = 0; i < l; i++) {
      for (int j = 0; j < l; j++) row[i] += raw[i][j];
      row[i] /= l;
      all += row[i] / l;
    }
    double[][] g = new double[l][l];
    for (int i = 0; i < l; i++) {
      for (int j = 0; j < l; j++) g[i][j] = (raw[i][j] - row[i] - row[j] + all) / l;
    }
    return g;
  }

  /** lambda_1^K: the largest eigenvalue of G ({@code values} sorted largest first) */
  public static double lambdaMaxK(double[] values) {
    return values[0];
  }

  /**
   * lambda_*^K: the (L−1)-th largest eigenvalue of G, its smallest non-zero one (centring leaves L − 1 directions;
   * the L-th eigenvalue is 0 up to rounding)
   */
  public static double lambdaMinNonzeroK(double[] values) {
    return values[values.length - 2];
  }

  /** lambda_*^K / lambda_1^K: 1 for isotropic noise, small for noise concentrated in a few directions */
  public static double conditioningK(double[] values) {
    return lambdaMinNonzeroK(values) / lambdaMaxK(values);
  }

  /** Tr G, the sum of its diagonal (= the sum of its eigenvalues) */
  public static double traceK(double[][] g) {
    double s = 0;
    for (int i = 0; i < g.length; i++) s += g[i][i];
    return s;
  }

  /**
   * ||g|| / ||g_5||, g_5 the projection of g onto the span of the orthonormal {@code top} (the top-5 eigenvectors
   * of K): 1 when g lies in that span, large when the gradient mostly points elsewhere. Infinite when g is orthogonal
   * to all of them.
   */
  public static double gradTop5Ratio(double[] g, double[][] top) {
    double gg = 0;
    for (double x : g) gg += x * x;
    double pp = 0;
    for (double[] e : top) {
      double c = 0;
      for (int i = 0; i < g.length; i++) c += g[i] * e[i];
      pp += c * c;
    }
    return Math.sqrt(gg) / Math.sqrt(pp);
  }

  /**
   * The break-even inequality's left-hand side (paper 004, INSTRUMENTS.md section 5): (1 − lr·lambda1)² +
   * s²·lr²·(N − S) / (S·(N − 1)), with lambda1 the top Hessian eigenvalue, s² the variance over examples of the
   * per-example curvature along its eigenvector, N the training-set size and S the batch size. SGD's step along e_1
   * is unstable (the expected squared distance along e_1 grows) once it reaches 1. With S = N the noise term is 0.
   */
  public static double stabilityLhs(double lr, double lambda1, double s2, long n, long s) {
    double a = 1 - lr * lambda1;
    return a * a + s2 * lr * lr * (n - s) / ((double) s * (n - 1));
  }

  /** the sample variance (divisor n − 1) of xs: an estimate of the variance over all examples from a subset */
  public static double sampleVariance(double[] xs) {
    double m = 0;
    for (double x : xs) m += x / xs.length;
    double s = 0;
    for (double x : xs) s += (x - m) * (x - m);
    return s / (xs.length - 1);
  }

  /**
   * The centred moving average over {@code window} measurements (odd): value i is the mean of values i − h .. i + h,
   * h = (window − 1)/2, cut to the values that exist at the two ends (so the ends average fewer values).
   */
  public static double[] centredMovingAverage(double[] xs, int window) {
    int h = (window - 1) / 2;
    double[] out = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      int from = Math.max(0, i - h);
      int to = Math.min(xs.length - 1, i + h);
      double s = 0;
      for (int j = from; j <= to; j++) s += xs[j];
      out[i] = s / (to - from + 1);
    }
    return out;
  }

  /** the position of the largest value (the first of equal ones), −1 for none */
  public static int peakIndex(double[] xs) {
    int best = -1;
    for (int i = 0; i < xs.length; i++) {
      if (!Double.isNaN(xs[i]) && (best < 0 || xs[i] > xs[best])) best = i;
    }
    return best;
  }

  /**
   * The break-even marker of the loss change: the position of the first of {@code run} consecutive measurements at
   * which the loss change is negative (the step increased the loss), or −1 when there are never that many in a row;
   * NaN breaks a run.
   */
  public static int persistentlyNegativeFrom(double[] deltas, int run) {
    int count = 0;
    for (int i = 0; i < deltas.length; i++) {
      count = deltas[i] < 0 ? count + 1 : 0;
      if (count == run) return i - run + 1;
    }
    return -1;
  }

  /** the break-even point: the position of the first left-hand side at or above 1, −1 for none */
  public static int breakEvenIndex(double[] lhs) {
    for (int i = 0; i < lhs.length; i++) if (lhs[i] >= 1) return i;
    return -1;
  }

  /** s distinct indices of 0..n−1, ascending ({@link Sampling#distinct}) */
  public static int[] sample(int n, int s, Random rnd) {
    return Sampling.distinct(n, s, rnd);
  }

  /** L groups of M distinct positions of 0..n−1 each, drawn independently (a mini-batch each) */
  public static int[][] drawnGroups(int n, int l, int m, Random rnd) {
    int[][] groups = new int[l][];
    for (int k = 0; k < l; k++) groups[k] = sample(n, m, rnd);
    return groups;
  }

  /** every position of 0..n−1 once, in a seeded order, cut into ⌊n/M⌋ groups of M (a remainder is left out) */
  public static int[][] allGroups(int n, int m, Random rnd) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int x = p[i];
      p[i] = p[j];
      p[j] = x;
    }
    int[][] groups = new int[n / m][];
    for (int k = 0; k < groups.length; k++) {
      groups[k] = Arrays.copyOfRange(p, k * m, (k + 1) * m);
      Arrays.sort(groups[k]);
    }
    return groups;
  }

  /**
   * The eigenvalues of a symmetric matrix, largest first, with unit eigenvectors into {@code vectors} (vectors[i] for
   * the i-th value): cyclic Jacobi rotations (Rutishauser's scheme: each rotation zeroes one off-diagonal pair, the
   * sweeps repeat until every off-diagonal entry is negligible beside its two diagonal entries, then exactly zero),
   * which converge on any symmetric matrix, quadratically once near diagonal, and give small eigenvalues of a
   * semi-definite matrix to high relative accuracy. For the L × L Gram matrices of the noise probe (L of tens) it
   * replaces commons-math's EigenDecomposition, whose large methods the JIT compiled and recompiled over the first
   * estimates of a run (0.5 s of a compiler thread within 5 s, on two cores taking the time from the BLAS threads) and
   * whose QL iteration gave up on some matrices with a large null space.
   *
   * @param a a square symmetric matrix (only read)
   * @param vectors filled with the eigenvectors, one row per eigenvalue, in the same order as the values
   */
  public static double[] symmetricEigen(double[][] a, double[][] vectors) {
    int n = a.length;
    double[] m = new double[n * n]; // row-major, kept symmetric
    double[] v = new double[n * n]; // columns: the eigenvectors
    for (int i = 0; i < n; i++) {
      if (a[i].length != n) throw new IllegalArgumentException("a " + n + " x " + n + " matrix has a row of " + a[i].length);
      System.arraycopy(a[i], 0, m, i * n, n);
      v[i * n + i] = 1;
    }
    for (int sweep = 0; sweep < 100 && sweep(m, v, n, sweep > 3); sweep++) {
      // each sweep rotates every non-zero off-diagonal pair once
    }
    double[] diagonal = new double[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      diagonal[i] = m[i * n + i];
      order[i] = i;
    }
    java.util.Arrays.sort(order, (x, y) -> Double.compare(diagonal[y], diagonal[x]));
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      int k = order[i];
      values[i] = diagonal[k];
      vectors[i] = new double[n];
      for (int r = 0; r < n; r++) vectors[i][r] = v[r * n + k];
    }
    return values;
  }

  /**
   * One Jacobi sweep over the pairs p < q of the symmetric m (row-major n × n): returns false when every off-diagonal
   * entry is zero already (nothing rotated). In the {@code late} sweeps an entry negligible beside both of its
   * diagonal entries is set to zero instead of rotated. Its loops are kept small (one pass over k per rotation, m's
   * symmetric entries and v's columns together): the JIT compiles it in milliseconds.
   */
  private static boolean sweep(double[] m, double[] v, int n, boolean late) {
    boolean any = false;
    for (int p = 0; p < n; p++) {
      for (int q = p + 1; q < n; q++) {
        double apq = m[p * n + q];
        if (apq == 0) continue;
        any = true;
        double app = m[p * n + p];
        double aqq = m[q * n + q];
        double tiny = 100 * Math.abs(apq);
        if (late && Math.abs(app) + tiny == Math.abs(app) && Math.abs(aqq) + tiny == Math.abs(aqq)) {
          m[p * n + q] = 0; // negligible beside both diagonal entries
          m[q * n + p] = 0;
          continue;
        }
        // the rotation (c, s) with t = s/c the smaller root of t² + 2θt − 1 = 0, θ = (a_qq − a_pp)/(2a_pq)
        double theta = (aqq - app) / (2 * apq);
        double t = theta == 0 ? 1
            : Double.isInfinite(theta * theta) ? 1 / (2 * theta)
            : Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        m[p * n + p] = app - t * apq;
        m[q * n + q] = aqq + t * apq;
        m[p * n + q] = 0; // zero in exact arithmetic
        m[q * n + p] = 0;
        for (int k = 0; k < n; k++) {
          if (k != p && k != q) {
            double kp = m[k * n + p];
            double kq = m[k * n + q];
            double np = c * kp - s * kq;
            double nq = s * kp + c * kq;
            m[k * n + p] = np;
            m[p * n + k] = np;
            m[k * n + q] = nq;
            m[q * n + k] = nq;
          }
          double vp = v[k * n + p];
          double vq = v[k * n + q];
          v[k * n + p] = c * vp - s * vq;
          v[k * n + q] = s * vp + c * vq;
        }
      }
    }
    return any;
  }
}
