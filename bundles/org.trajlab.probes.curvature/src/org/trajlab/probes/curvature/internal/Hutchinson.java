package org.trajlab.probes.curvature.internal;

import java.util.Random;

/**
 * Hutchinson's estimate of the trace Tr(H) (INSTRUMENTS.md section 6, as in PyHessian): the mean of z^T H z over
 * {@code probes} seeded Rademacher vectors z (entries +1/-1 on the masked, trainable entries, 0 elsewhere), with the
 * standard error of that mean (sample standard deviation / sqrt(probes); NaN for one probe). With a mask the
 * estimate is the trace of H restricted to the trainable entries, which is Tr(H) since the other rows are 0.
 */
public final class Hutchinson {
  private Hutchinson() {}

  /** mean, standard error and the number of products used */
  public record Estimate(double mean, double stderr, int products) {
  }

  public static Estimate trace(HessianOperator op, int probes, long seed, boolean[] mask) {
    if (probes < 1) throw new IllegalArgumentException("at least one probe vector is needed");
    Random rnd = new Random(seed);
    int n = op.dim();
    double[] hz = new double[n];
    double[] samples = new double[probes];
    for (int p = 0; p < probes; p++) {
      double[] z = Vec.rademacher(n, mask, rnd);
      op.apply(z, hz);
      samples[p] = Vec.dot(z, hz);
    }
    double mean = 0;
    for (double x : samples) mean += x;
    mean /= probes;
    double var = 0;
    for (double x : samples) var += (x - mean) * (x - mean);
    double stderr = probes > 1 ? Math.sqrt(var / (probes - 1) / probes) : Double.NaN;
    return new Estimate(mean, stderr, probes);
  }

  /** the exact trace sum_i e_i^T H e_i over the unit vectors of the masked entries (dim products; tests, small H) */
  public static double exactTrace(HessianOperator op, boolean[] mask) {
    int n = op.dim();
    double[] e = new double[n];
    double[] he = new double[n];
    double s = 0;
    for (int i = 0; i < n; i++) {
      if (mask != null && !mask[i]) continue;
      e[i] = 1;
      op.apply(e, he);
      e[i] = 0;
      s += he[i];
    }
    return s;
  }
}
