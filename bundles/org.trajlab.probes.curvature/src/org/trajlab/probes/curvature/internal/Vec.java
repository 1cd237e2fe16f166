package org.trajlab.probes.curvature.internal;

import java.util.Random;

/** Small dense-vector helpers on {@code double[]}; {@code mask} null means every entry. */
public final class Vec {
  private Vec() {}

  public static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  public static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }

  /** y += alpha x */
  public static void axpy(double alpha, double[] x, double[] y) {
    for (int i = 0; i < y.length; i++) y[i] += alpha * x[i];
  }

  public static void scale(double alpha, double[] x) {
    for (int i = 0; i < x.length; i++) x[i] *= alpha;
  }

  public static int count(boolean[] mask, int dim) {
    if (mask == null) return dim;
    int n = 0;
    for (boolean b : mask) if (b) n++;
    return n;
  }

  /** zeroes the entries outside the mask */
  public static void restrict(double[] v, boolean[] mask) {
    if (mask == null) return;
    for (int i = 0; i < v.length; i++) if (!mask[i]) v[i] = 0;
  }

  /** standard normal entries on the mask, 0 elsewhere */
  public static double[] gaussian(int dim, boolean[] mask, Random rnd) {
    double[] v = new double[dim];
    for (int i = 0; i < dim; i++) v[i] = mask == null || mask[i] ? rnd.nextGaussian() : 0;
    return v;
  }

  /** Rademacher entries (+1 or -1, each with probability 1/2) on the mask, 0 elsewhere */
  public static double[] rademacher(int dim, boolean[] mask, Random rnd) {
    double[] v = new double[dim];
    for (int i = 0; i < dim; i++) v[i] = mask == null || mask[i] ? (rnd.nextBoolean() ? 1 : -1) : 0;
    return v;
  }
}
