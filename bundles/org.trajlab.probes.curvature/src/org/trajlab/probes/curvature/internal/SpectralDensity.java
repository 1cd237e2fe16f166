package org.trajlab.probes.curvature.internal;

import java.util.Random;

import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * The spectral density of H by stochastic Lanczos quadrature (INSTRUMENTS.md section 6, as in PyHessian and
 * eigenthings). For each of {@code vectors} seeded Rademacher probe vectors v (on the masked entries), {@code steps}
 * Lanczos steps from v/||v|| give a tridiagonal T whose eigenvalues theta_j are the quadrature nodes and whose
 * squared first eigenvector components tau_j the weights (they sum to 1, and sum_j tau_j theta_j = v^T H v / ||v||^2,
 * an estimate of Tr(H)/P). The density is phi(t) = (1/n_v) sum_v sum_j tau_j N(t; theta_j, sigma^2).
 */
public final class SpectralDensity {
  private SpectralDensity() {}

  /** nodes and weights of each probe vector: {@code nodes[v][j]}, {@code weights[v][j]}; products used */
  public record Quadrature(double[][] nodes, double[][] weights, int products) {

    public double min() {
      double m = Double.POSITIVE_INFINITY;
      for (double[] r : nodes) for (double x : r) m = Math.min(m, x);
      return m;
    }

    public double max() {
      double m = Double.NEGATIVE_INFINITY;
      for (double[] r : nodes) for (double x : r) m = Math.max(m, x);
      return m;
    }

    /** sum_j tau_j theta_j^p averaged over the probe vectors (p = 0 is 1, p = 1 estimates Tr(H)/P) */
    public double moment(int p) {
      double s = 0;
      for (int v = 0; v < nodes.length; v++) {
        for (int j = 0; j < nodes[v].length; j++) s += weights[v][j] * Math.pow(nodes[v][j], p);
      }
      return s / nodes.length;
    }

    /** phi at each grid point, Gaussian broadening sigma */
    public double[] density(double[] grid, double sigma) {
      double[] phi = new double[grid.length];
      double c = 1 / (Math.sqrt(2 * Math.PI) * sigma * nodes.length);
      for (int g = 0; g < grid.length; g++) {
        double s = 0;
        for (int v = 0; v < nodes.length; v++) {
          for (int j = 0; j < nodes[v].length; j++) {
            double z = (grid[g] - nodes[v][j]) / sigma;
            s += weights[v][j] * Math.exp(-0.5 * z * z);
          }
        }
        phi[g] = c * s;
      }
      return phi;
    }
  }

  public static Quadrature quadrature(HessianOperator op, int steps, int vectors, long seed, boolean[] mask) {
    Random rnd = new Random(seed);
    int n = op.dim();
    double[][] nodes = new double[vectors][];
    double[][] weights = new double[vectors][];
    int products = 0;
    HessianOperator.Counting h = new HessianOperator.Counting(op);
    for (int v = 0; v < vectors; v++) {
      double[][] ab = Lanczos.tridiagonal(h, Vec.rademacher(n, mask, rnd), Math.min(steps, Vec.count(mask, n)));
      double[] alpha = ab[0];
      if (alpha.length == 1) {
        nodes[v] = new double[] { alpha[0] };
        weights[v] = new double[] { 1 };
        continue;
      }
      EigenDecomposition ed = new EigenDecomposition(alpha, ab[1]);
      double[] theta = ed.getRealEigenvalues();
      double[] tau = new double[theta.length];
      for (int j = 0; j < theta.length; j++) {
        double f = ed.getEigenvector(j).getEntry(0);
        tau[j] = f * f;
      }
      nodes[v] = theta;
      weights[v] = tau;
    }
    products = (int) h.products();
    return new Quadrature(nodes, weights, products);
  }

  /** {@code points} equally spaced values from lo to hi */
  public static double[] grid(double lo, double hi, int points) {
    double[] g = new double[points];
    for (int i = 0; i < points; i++) g[i] = points == 1 ? lo : lo + (hi - lo) * i / (points - 1);
    return g;
  }
}
