package org.trajlab.probes.averaging.internal;

/**
 * The streaming averages of paper 003 (INSTRUMENTS.md section 4) as small pure functions on flat vectors. None of
 * them keeps the trajectory: the EMA and SWA keep one vector each, the two- and multi-point averages a ring of the
 * n points they average.
 */
public final class AveragingMath {
  private AveragingMath() {}

  /** one EMA step in place: θ̄ ← β·θ̄ + (1−β)·θ */
  public static void emaStep(double[] average, double[] theta, double beta) {
    for (int i = 0; i < average.length; i++) average[i] = beta * average[i] + (1 - beta) * theta[i];
  }

  /** sum ← sum + θ (a snapshot into the SWA's running sum) */
  public static void addTo(double[] sum, double[] theta) {
    for (int i = 0; i < sum.length; i++) sum[i] += theta[i];
  }

  /** sum / count */
  public static double[] mean(double[] sum, long count) {
    double[] m = new double[sum.length];
    for (int i = 0; i < m.length; i++) m[i] = sum[i] / count;
    return m;
  }

  /** the mean of the points (the multi-point average; with two points the two-point average) */
  public static double[] meanOf(double[][] points) {
    double[] m = new double[points[0].length];
    for (double[] p : points) addTo(m, p);
    for (int i = 0; i < m.length; i++) m[i] /= points.length;
    return m;
  }

  /**
   * Whether step s is a snapshot of an average whose snapshots fall every {@code every} steps counting back from the
   * run's last step T: (T − s) divisible by every. The two- and multi-point averages are aligned to T, so the
   * average at T is (θ_T + θ_{T−k})/2, the average the equivalent schedule describes.
   */
  public static boolean alignedToEnd(long s, long end, int every) {
    return Math.floorMod(end - s, every) == 0;
  }

  /** whether step s is an SWA snapshot: from {@code start} every {@code every} steps, at most {@code max} (0: no limit) */
  public static boolean swaSnapshot(long s, long start, int every, long taken, int max) {
    return s >= start && (s - start) % every == 0 && (max == 0 || taken < max);
  }

  /** ‖a − b‖ over the entries the mask keeps (null: all) */
  public static double distance(double[] a, double[] b, boolean[] keep) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      if (keep == null || keep[i]) {
        double d = a[i] - b[i];
        s += d * d;
      }
    }
    return Math.sqrt(s);
  }

  /**
   * The EMA of a constant-step sequence in closed form, for tests and the README: with θ̄_{t0} = θ_{t0} and points
   * θ_t = θ_{t0} − η Σ_{s<t} g_s, θ̄_T = θ_{t0} − η Σ_s (1 − β^{T−s}) g_s (the equivalent schedule's weights).
   */
  public static double emaWeight(double beta, long end, long s) {
    return 1 - Math.pow(beta, end - s);
  }
}
