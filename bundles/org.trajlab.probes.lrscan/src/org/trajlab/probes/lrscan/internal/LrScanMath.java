package org.trajlab.probes.lrscan.internal;

import java.util.SplittableRandom;

/** The arithmetic of the mini-batch loss probes (paper 003), pure and tested in closed form. */
public final class LrScanMath {
  private LrScanMath() {}

  /**
   * The step sizes λ of a single-step scan, increasing, starting at 0: {@code linear}: λ_i = λ_max · i/(n − 1),
   * i = 0…n − 1; {@code log}: 0, then n − 1 values evenly spaced in log10 from λ_max · 10^−decades to λ_max.
   */
  public static double[] lambdaGrid(String kind, double lambdaMax, int points, double decades) {
    double[] g = new double[points];
    if ("linear".equals(kind)) {
      for (int i = 0; i < points; i++) g[i] = lambdaMax * i / (points - 1);
      return g;
    }
    int n = points - 1;
    for (int i = 0; i < n; i++) {
      double e = n == 1 ? 0 : -decades + decades * i / (n - 1);
      g[i + 1] = i == n - 1 ? lambdaMax : lambdaMax * Math.pow(10, e);
    }
    return g;
  }

  /** θ − λ d */
  public static double[] stepAlong(double[] theta, double lambda, double[] d) {
    double[] out = new double[theta.length];
    for (int i = 0; i < out.length; i++) out[i] = theta[i] - lambda * d[i];
    return out;
  }

  /** the position of the smallest value (the first of equal ones; NaN values are never the smallest) */
  public static int argmin(double[] v) {
    int best = -1;
    for (int i = 0; i < v.length; i++) {
      if (!Double.isNaN(v[i]) && (best < 0 || v[i] < v[best])) best = i;
    }
    return best;
  }

  /** cos(u, v) = ⟨u, v⟩ / (‖u‖‖v‖); NaN when either is 0 */
  public static double cosine(double[] u, double[] v) {
    double uv = 0;
    double uu = 0;
    double vv = 0;
    for (int i = 0; i < u.length; i++) {
      uv += u[i] * v[i];
      uu += u[i] * u[i];
      vv += v[i] * v[i];
    }
    return uu == 0 || vv == 0 ? Double.NaN : uv / Math.sqrt(uu * vv);
  }

  public static double norm(double[] v) {
    double s = 0;
    for (double x : v) s += x * x;
    return Math.sqrt(s);
  }

  /** ‖u − v‖ */
  public static double distance(double[] u, double[] v) {
    double s = 0;
    for (int i = 0; i < u.length; i++) s += (u[i] - v[i]) * (u[i] - v[i]);
    return Math.sqrt(s);
  }

  /**
   * A held-out batch B′ of {@code size} distinct training indices in [0, n), none of them in {@code exclude},
   * drawn from a generator seeded by (seed, step): the same run and step give the same batch.
   */
  public static int[] heldOutBatch(long seed, long step, int n, int size, int[] exclude) {
    boolean[] taken = new boolean[n];
    int free = n;
    for (int i : exclude) {
      if (i >= 0 && i < n && !taken[i]) {
        taken[i] = true;
        free--;
      }
    }
    if (size > free) {
      throw new IllegalArgumentException("a held-out batch of " + size + " needs " + size + " training examples"
          + " outside the batch, but there are " + free);
    }
    int[] pool = new int[free];
    int k = 0;
    for (int i = 0; i < n; i++) if (!taken[i]) pool[k++] = i;
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L + 0x5EED);
    return org.trajlab.api.probe.Sampling.draw(pool, size, r);
  }

  /** a seeded batch of {@code size} distinct training indices in [0, n) (probe-only runs: no update gives one) */
  public static int[] seededBatch(long seed, long step, int n, int size) {
    return heldOutBatch(seed ^ 0x7A11L, step, n, size, new int[0]);
  }
}
