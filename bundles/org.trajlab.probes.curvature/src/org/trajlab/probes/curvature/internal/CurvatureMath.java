package org.trajlab.probes.curvature.internal;

import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;

import org.trajlab.api.objective.WeightMatrix;

/**
 * The quantities of paper 001 ("DNN's Sharpest Directions Along the SGD Trajectory") that are built on the top
 * eigenpairs, as small pure functions (INSTRUMENTS.md section 2). Losses enter as functions of a parameter vector,
 * so each is testable on a closed-form loss.
 */
public final class CurvatureMath {
  private CurvatureMath() {}

  /** ||H||_F approximated from the top 5: sqrt(sum_{i &lt;= min(5, K)} lambda_i^2); NaN values are skipped */
  public static double frobeniusTop5(double[] values) {
    double s = 0;
    for (int i = 0; i < Math.min(5, values.length); i++) {
      if (!Double.isNaN(values[i])) s += values[i] * values[i];
    }
    return Math.sqrt(s);
  }

  /** typical step along e_1: Delta_1 = lr · mean over the mini-batch gradients g^(S) of |&lt;g^(S), e_1&gt;| */
  public static double typicalStep(double lr, List<double[]> batchGradients, double[] e1) {
    double s = 0;
    for (double[] g : batchGradients) s += Math.abs(Vec.dot(g, e1));
    return lr * s / batchGradients.size();
  }

  /** {@code points} equally spaced k from -8 to 8 (the grid of section 2; an odd count contains k = 0) */
  public static double[] kGrid(int points) {
    return SpectralDensity.grid(-8, 8, points);
  }

  /** L(theta + k · delta · e) for each k of the grid */
  public static double[] lossAlong(ToDoubleFunction<double[]> loss, double[] theta, double[] e, double delta,
      double[] ks) {
    double[] out = new double[ks.length];
    double[] p = new double[theta.length];
    for (int i = 0; i < ks.length; i++) {
      for (int j = 0; j < p.length; j++) p[j] = theta[j] + ks[i] * delta * e[j];
      out[i] = loss.applyAsDouble(p);
    }
    return out;
  }

  /**
   * k_min(p): the smallest |k| of the grid with |L(theta + k Delta_1 e_1) - L(theta)| &gt;= p · L(theta), or NaN when
   * no grid point gets that far.
   */
  public static double kmin(double[] ks, double[] losses, double loss0, double p) {
    double best = Double.NaN;
    for (int i = 0; i < ks.length; i++) {
      if (Math.abs(losses[i] - loss0) >= p * loss0 && (Double.isNaN(best) || Math.abs(ks[i]) < best)) {
        best = Math.abs(ks[i]);
      }
    }
    return best;
  }

  /**
   * The step test: E_B[L(theta - a · lr · g~_1)] - L(theta) with g~_1 = &lt;g^(S), e_1&gt; e_1, the expectation being the
   * mean over the given mini-batch gradients; one value per a.
   */
  public static double[] stepTest(ToDoubleFunction<double[]> loss, double[] theta, double loss0, double lr,
      List<double[]> batchGradients, double[] e1, double[] as) {
    double[] out = new double[as.length];
    double[] p = new double[theta.length];
    for (int ai = 0; ai < as.length; ai++) {
      double s = 0;
      for (double[] g : batchGradients) {
        double c = -as[ai] * lr * Vec.dot(g, e1);
        for (int j = 0; j < p.length; j++) p[j] = theta[j] + c * e1[j];
        s += loss.applyAsDouble(p);
      }
      out[ai] = s / batchGradients.size() - loss0;
    }
    return out;
  }

  /**
   * The largest singular value of a weight matrix stored in theta: sqrt of the top eigenvalue of W^T W by power
   * iteration from a seeded random vector, until the estimate changes by at most {@code tol} relative (at most
   * {@code maxIter} iterations).
   */
  public static double spectralNorm(double[] theta, WeightMatrix w, double tol, int maxIter, long seed) {
    int rows = w.rows();
    int cols = w.cols();
    int off = (int) w.offset();
    double[] x = Vec.gaussian(cols, null, new Random(seed));
    Vec.scale(1 / Vec.norm(x), x);
    double[] wx = new double[rows];
    double sigma = 0;
    for (int it = 0; it < maxIter; it++) {
      // wx = W x, then x' = W^T wx
      java.util.Arrays.fill(wx, 0);
      for (int c = 0; c < cols; c++) {
        double xc = x[c];
        int base = off + c * rows;
        for (int r = 0; r < rows; r++) wx[r] += theta[base + r] * xc;
      }
      double[] nx = new double[cols];
      for (int c = 0; c < cols; c++) {
        double s = 0;
        int base = off + c * rows;
        for (int r = 0; r < rows; r++) s += theta[base + r] * wx[r];
        nx[c] = s;
      }
      double lam = Vec.norm(nx); // ||W^T W x|| with ||x|| = 1
      double next = Math.sqrt(lam);
      if (lam == 0) return 0;
      Vec.scale(1 / lam, nx);
      x = nx;
      boolean stop = it > 0 && Math.abs(next - sigma) <= tol * next;
      sigma = next;
      if (stop) break;
    }
    return sigma;
  }

  /** rho(W) of section 2: the mean over the weight matrices of their largest singular values (NaN if none) */
  public static double meanSpectralNorm(double[] theta, List<WeightMatrix> ws) {
    if (ws.isEmpty()) return Double.NaN;
    double s = 0;
    for (int i = 0; i < ws.size(); i++) s += spectralNorm(theta, ws.get(i), 1e-12, 10000, 17 + i);
    return s / ws.size();
  }

  /** subspace SGD "top only": g &lt;- &lt;g, e_1&gt; e_1, in place */
  public static void keepTop(double[] g, double[] e1) {
    double c = Vec.dot(g, e1);
    for (int i = 0; i < g.length; i++) g[i] = c * e1[i];
  }

  /** subspace SGD "no top": g &lt;- g - &lt;g, e_1&gt; e_1, in place */
  public static void removeTop(double[] g, double[] e1) {
    Vec.axpy(-Vec.dot(g, e1), e1, g);
  }

  /**
   * Nudged SGD: g &lt;- g + (gamma - 1) sum_{i &lt;= K} &lt;g, e_i&gt; e_i, in place, with the coefficients taken from the
   * incoming g (the e_i are orthonormal, so the order does not matter).
   */
  public static void nudge(double[] g, double[][] e, int k, double gamma) {
    double[] c = new double[Math.min(k, e.length)];
    for (int i = 0; i < c.length; i++) c[i] = Vec.dot(g, e[i]);
    for (int i = 0; i < c.length; i++) Vec.axpy((gamma - 1) * c[i], e[i], g);
  }
}
