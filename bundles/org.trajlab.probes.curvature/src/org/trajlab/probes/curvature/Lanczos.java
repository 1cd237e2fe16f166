package org.trajlab.probes.curvature;

import java.util.Arrays;
import java.util.Random;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Top-K eigenpairs (largest |lambda| first) of a symmetric operator: thick-restart (block) Lanczos with full
 * reorthogonalisation (INSTRUMENTS.md section 2: "top-K eigenpairs ... by a Lanczos-type method on Hessian-vector
 * products; report residuals").
 * <p>
 * <b>Method.</b> The basis V is grown one product at a time: the oldest not-yet-multiplied basis vector v_j is
 * multiplied, H v_j is orthogonalised twice (classical Gram-Schmidt, "twice is enough") against all of V, and the
 * remainder, normalised, joins V. The Gram-Schmidt coefficients are the entries v_i^T H v_j of the projected matrix,
 * so T = V^T H V is known exactly for the multiplied vectors, and H V_m = V_m T_m + F B with F the {@code block}
 * vectors not yet multiplied. With {@code block} = 1 this is Lanczos (T tridiagonal up to rounding); with b &gt; 1 it
 * is block Lanczos, which is needed to see the multiplicity of a repeated eigenvalue (a single Krylov vector only
 * ever sees one direction of an eigenspace). When V holds m = max(2K + 10, K + 3·block, 20) multiplied vectors, the
 * Rayleigh-Ritz pairs (theta_i, y_i = V s_i) of T_m are formed, ordered by |theta|, and their Ritz residual estimates
 * ||B s_i|| are checked; if not all K are below tol·|theta_1|, the method restarts thick (Wu and Simon 2000,
 * equivalent to implicit restarting): V becomes the best l Ritz vectors (l = K + (m - K) / 2) plus F, T becomes diag(theta)
 * with the coupling rows B S, and growth continues. The small projected problems are solved by commons-math3's
 * {@link EigenDecomposition}.
 * <p>
 * <b>Reported residuals are true ones.</b> At the end every returned vector y is multiplied once more (K extra
 * products, on top of {@code maxHvps}); the returned value is the Rayleigh quotient y^T H y and the residual is
 * ||H y - (y^T H y) y||. A pair is {@code converged} only when that true residual is at most tol·|lambda_1|; a
 * budget that runs out (restarts or products) leaves the flags false, never true. The Ritz estimate is used only to
 * decide when to stop iterating.
 * <p>
 * <b>Start.</b> A seeded Gaussian block restricted to the mask (trainable entries), or a warm start from previous
 * eigenvectors: with block 1 the start vector is their normalised sum plus a fresh random vector of equal norm; with
 * block b, column j sums the previous vectors j, j + b, ... plus its own fresh random part. The random part must be substantial: the iteration stops as soon as the Ritz estimates of the top K
 * are small, and a warm start reaches that after few products, before the Krylov polynomial has amplified a
 * direction the previous vectors miss. When a NEW larger eigenvalue appears between two calls orthogonally to the
 * old vectors (LanczosTest: old top {10, ..., 6}, new 11 or 10.2, n = 3,000, K = 5, tol 1e-3), a random part of 0.01
 * let 11 of 30 warm runs stop after 16 products on the old five pairs, all flagged converged; with equal norm none
 * did, at about 3 more products per call (21 against 17; cold starts take 23). A minimum number of products before
 * a warm start may stop was tried and not adopted: only about as many products as a cold start needs closed the
 * last gap (a new eigenvalue 0.2% above the old lambda_1 at n = 20,000 was missed in 4 of 200 warm runs, 0 cold),
 * which would take away what a warm start saves. In these measurements a warm start was as reliable as a cold one
 * except for a new eigenvalue within a fraction of a percent of the old top.
 * <p>
 * When the operator's (masked) dimension is at most m + block, the operator is formed densely (one product per
 * unit vector) and decomposed directly; residuals are then measured against that dense matrix.
 * <p>
 * What a single run cannot promise: for an eigenvalue of multiplicity larger than {@code block}, the value is found
 * but may be listed fewer times than its multiplicity, so later ranks may be converged eigenpairs of smaller
 * eigenvalues (the flag says each pair is an accurate eigenpair, not that no eigenvalue was missed).
 */
public final class Lanczos {
  private Lanczos() {}

  /** settings of one computation; the defaults are those of the curvature probe */
  public static final class Options {
    /** K, the number of eigenpairs */
    public int k = 10;
    /** stop when every ||H y_i - theta_i y_i|| &lt;= tol·|theta_1| */
    public double tol = 1e-3;
    public int maxRestarts = 50;
    /** products allowed for the iteration (the K verification products come on top) */
    public int maxHvps = 1000;
    public int block = 1;
    public long seed = 0;
    /** entries the vectors may use (trainable parameters); null = all */
    public boolean[] mask;
    /**
     * previous eigenvectors for a warm start, or null for a cold (random) start; each start column gets a fresh
     * random part of the same norm as its warm part, so a direction the previous vectors miss starts with 1/sqrt(2)
     * of the weight a cold start gives it
     */
    public double[][] warmStart;

    public Options k(int v) {
      k = v;
      return this;
    }

    public Options tol(double v) {
      tol = v;
      return this;
    }

    public Options maxRestarts(int v) {
      maxRestarts = v;
      return this;
    }

    public Options maxHvps(int v) {
      maxHvps = v;
      return this;
    }

    public Options block(int v) {
      block = v;
      return this;
    }

    public Options seed(long v) {
      seed = v;
      return this;
    }

    public Options mask(boolean[] v) {
      mask = v;
      return this;
    }

    public Options warmStart(double[][] v) {
      warmStart = v;
      return this;
    }
  }

  /**
   * The result, ordered by |value| descending. {@code hvps} counts every product including the K verification
   * products; {@code method} is "lanczos" or "dense".
   */
  public record Eigenpairs(double[] values, double[][] vectors, double[] residuals, boolean[] converged, long hvps,
      int restarts, String method) {

    public int k() {
      return values.length;
    }

    public boolean allConverged() {
      for (boolean c : converged) if (!c) return false;
      return true;
    }
  }

  public static Eigenpairs topK(HessianOperator op, Options o) {
    HessianOperator.Counting h = new HessianOperator.Counting(op);
    int n = op.dim();
    int nt = Vec.count(o.mask, n);
    int k = Math.min(o.k, nt);
    if (k < 1) throw new IllegalArgumentException("k must be at least 1 and the operator must have a trainable entry");
    int b = Math.max(1, Math.min(o.block, nt));
    int m = Math.max(Math.max(2 * k + 10, k + 3 * b), 20);
    if (nt <= m + b) return dense(h, o, k);

    Random rnd = new Random(o.seed);
    double[][] v = new double[m + b][];
    double[][] t = new double[m + b][m + b];
    double[][] start = startBlock(n, b, o, rnd);
    int nb = 0;
    for (double[] s : start) {
      v[nb] = orthonormalised(s, v, nb, o.mask, rnd);
      nb++;
    }
    int ne = 0;
    int restarts = 0;
    double[] w = new double[n];
    double[] theta;
    double[][] s;
    int[] order;
    while (true) {
      boolean grow = true;
      while (grow && ne < m && h.products() < o.maxHvps) {
        h.apply(v[ne], w);
        Vec.restrict(w, o.mask);
        double before = Vec.norm(w);
        for (int pass = 0; pass < 2; pass++) {
          for (int i = 0; i < nb; i++) {
            double c = Vec.dot(v[i], w);
            t[i][ne] += c;
            Vec.axpy(-c, v[i], w);
          }
        }
        double rho = Vec.norm(w);
        if (rho > 1e-13 * before && rho > 0) {
          Vec.scale(1 / rho, w);
          v[nb] = w;
          t[nb][ne] = rho;
        } else {
          // breakdown: an invariant subspace; continue with a random direction (H couples nothing to it)
          v[nb] = orthonormalised(Vec.gaussian(n, o.mask, rnd), v, nb, o.mask, rnd);
          t[nb][ne] = 0;
        }
        w = new double[n];
        nb++;
        ne++;
        // a Rayleigh-Ritz check after every product once K vectors are multiplied (cheap next to a product), so a
        // good (warm) start stops early instead of filling the basis
        grow = ne < k || ne == m || !ritzConverged(t, ne, nb, k, o.tol);
      }
      // Rayleigh-Ritz on the ne multiplied vectors
      double[][] a = new double[ne][ne];
      for (int i = 0; i < ne; i++) {
        for (int j = 0; j < ne; j++) a[i][j] = 0.5 * (t[i][j] + t[j][i]);
      }
      EigenDecomposition ed = new EigenDecomposition(new Array2DRowRealMatrix(a, false));
      theta = ed.getRealEigenvalues();
      s = ed.getV().getData();
      order = byMagnitude(theta);
      boolean done = estimatesBelow(t, ne, nb, k, o.tol, theta, s, order);
      if (done || ne < k || restarts >= o.maxRestarts || h.products() >= o.maxHvps) break;
      // thick restart: keep the best l Ritz vectors and the unmultiplied block F
      int l = Math.min(ne - 1, Math.max(k, k + (m - k) / 2));
      double[][] y = combine(v, ne, s, order, l, n);
      double[][] nt2 = new double[m + b][m + b];
      for (int i = 0; i < l; i++) nt2[i][i] = theta[order[i]];
      for (int r = 0; r < nb - ne; r++) {
        for (int i = 0; i < l; i++) {
          double x = 0;
          for (int j = 0; j < ne; j++) x += t[ne + r][j] * s[j][order[i]];
          nt2[l + r][i] = x;
        }
      }
      double[][] nv = new double[m + b][];
      System.arraycopy(y, 0, nv, 0, l);
      for (int r = 0; r < nb - ne; r++) nv[l + r] = v[ne + r];
      nb = l + (nb - ne);
      ne = l;
      v = nv;
      t = nt2;
      restarts++;
    }
    int kk = Math.min(k, ne);
    double[][] y = combine(v, ne, s, order, kk, n);
    return verified(h, y, k, o.tol, restarts, "lanczos");
  }

  private static boolean ritzConverged(double[][] t, int ne, int nb, int k, double tol) {
    double[][] a = new double[ne][ne];
    for (int i = 0; i < ne; i++) {
      for (int j = 0; j < ne; j++) a[i][j] = 0.5 * (t[i][j] + t[j][i]);
    }
    EigenDecomposition ed = new EigenDecomposition(new Array2DRowRealMatrix(a, false));
    double[] theta = ed.getRealEigenvalues();
    double[][] s = ed.getV().getData();
    int[] order = byMagnitude(theta);
    return estimatesBelow(t, ne, nb, k, tol, theta, s, order);
  }

  /** every Ritz estimate ||B s_i|| of the top k is at most tol·|theta_1| */
  private static boolean estimatesBelow(double[][] t, int ne, int nb, int k, double tol, double[] theta, double[][] s,
      int[] order) {
    double scale = Math.abs(theta[order[0]]);
    for (int q = 0; q < Math.min(k, ne); q++) {
      int c = order[q];
      double est = 0;
      for (int r = ne; r < nb; r++) {
        double x = 0;
        for (int j = 0; j < ne; j++) x += t[r][j] * s[j][c];
        est += x * x;
      }
      if (Math.sqrt(est) > tol * scale) return false;
    }
    return true;
  }

  /** the dense path: H formed column by column on the masked entries and decomposed directly */
  private static Eigenpairs dense(HessianOperator.Counting h, Options o, int k) {
    int n = h.dim();
    int[] idx = new int[Vec.count(o.mask, n)];
    for (int i = 0, c = 0; i < n; i++) if (o.mask == null || o.mask[i]) idx[c++] = i;
    int d = idx.length;
    double[][] a = new double[d][d];
    double[] e = new double[n];
    double[] col = new double[n];
    for (int j = 0; j < d; j++) {
      e[idx[j]] = 1;
      h.apply(e, col);
      e[idx[j]] = 0;
      for (int i = 0; i < d; i++) a[i][j] = col[idx[i]];
    }
    double[][] sym = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) sym[i][j] = 0.5 * (a[i][j] + a[j][i]);
    }
    RealMatrix am = new Array2DRowRealMatrix(sym, false);
    EigenDecomposition ed = new EigenDecomposition(am);
    double[] theta = ed.getRealEigenvalues();
    int[] order = byMagnitude(theta);
    double[] values = new double[k];
    double[][] vectors = new double[k][];
    double[] res = new double[k];
    boolean[] conv = new boolean[k];
    for (int q = 0; q < k; q++) {
      double[] u = ed.getEigenvector(order[q]).toArray();
      double[] hu = am.operate(u);
      double lam = dotd(u, hu) / dotd(u, u);
      double r = 0;
      for (int i = 0; i < d; i++) r += (hu[i] - lam * u[i]) * (hu[i] - lam * u[i]);
      values[q] = lam;
      res[q] = Math.sqrt(r);
      double[] full = new double[n];
      for (int i = 0; i < d; i++) full[idx[i]] = u[i];
      vectors[q] = full;
    }
    double scale = Math.abs(values[0]);
    for (int q = 0; q < k; q++) conv[q] = res[q] <= o.tol * scale;
    return new Eigenpairs(values, vectors, res, conv, h.products(), 0, "dense");
  }

  private static double dotd(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  /** one product per vector: Rayleigh quotient, true residual, converged flag; pads to k with NaN if needed */
  private static Eigenpairs verified(HessianOperator.Counting h, double[][] y, int k, double tol, int restarts,
      String method) {
    int n = h.dim();
    int got = y.length;
    double[] values = new double[got];
    double[] res = new double[got];
    double[] hy = new double[n];
    for (int q = 0; q < got; q++) {
      double nn = Vec.norm(y[q]);
      Vec.scale(1 / nn, y[q]);
      h.apply(y[q], hy);
      double lam = Vec.dot(y[q], hy);
      double r = 0;
      for (int i = 0; i < n; i++) {
        double d = hy[i] - lam * y[q][i];
        r += d * d;
      }
      values[q] = lam;
      res[q] = Math.sqrt(r);
    }
    Integer[] ord = new Integer[got];
    for (int i = 0; i < got; i++) ord[i] = i;
    Arrays.sort(ord, (p, q) -> Double.compare(Math.abs(values[q]), Math.abs(values[p])));
    double[] vs = new double[k];
    double[] rs = new double[k];
    double[][] ys = new double[k][];
    boolean[] cs = new boolean[k];
    Arrays.fill(vs, Double.NaN);
    Arrays.fill(rs, Double.NaN);
    double scale = got == 0 ? Double.NaN : Math.abs(values[ord[0]]);
    for (int q = 0; q < got; q++) {
      vs[q] = values[ord[q]];
      rs[q] = res[ord[q]];
      ys[q] = y[ord[q]];
      cs[q] = rs[q] <= tol * scale;
    }
    return new Eigenpairs(vs, ys, rs, cs, h.products(), restarts, method);
  }

  /** y_q = V s_{order[q]} for q &lt; count */
  private static double[][] combine(double[][] v, int ne, double[][] s, int[] order, int count, int n) {
    double[][] y = new double[count][n];
    for (int q = 0; q < count; q++) {
      int c = order[q];
      for (int j = 0; j < ne; j++) {
        double coef = s[j][c];
        if (coef != 0) Vec.axpy(coef, v[j], y[q]);
      }
    }
    return y;
  }

  /** indices sorted by |x| descending */
  static int[] byMagnitude(double[] x) {
    Integer[] o = new Integer[x.length];
    for (int i = 0; i < x.length; i++) o[i] = i;
    Arrays.sort(o, (p, q) -> Double.compare(Math.abs(x[q]), Math.abs(x[p])));
    int[] r = new int[x.length];
    for (int i = 0; i < r.length; i++) r[i] = o[i];
    return r;
  }

  private static double[][] startBlock(int n, int b, Options o, Random rnd) {
    double[][] s = new double[b][];
    if (o.warmStart == null || o.warmStart.length == 0) {
      for (int j = 0; j < b; j++) s[j] = Vec.gaussian(n, o.mask, rnd);
      return s;
    }
    for (int j = 0; j < b; j++) {
      double[] x = new double[n];
      for (int i = j; i < o.warmStart.length; i += b) {
        if (o.warmStart[i] == null) continue; // a rank a budget-starved run could not fill
        double nn = Vec.norm(o.warmStart[i]);
        if (nn > 0) Vec.axpy(1 / nn, o.warmStart[i], x);
      }
      Vec.restrict(x, o.mask);
      double nx = Vec.norm(x);
      double[] r = Vec.gaussian(n, o.mask, rnd);
      double nr = Vec.norm(r);
      if (nx == 0) {
        s[j] = r;
        continue;
      }
      Vec.scale(1 / nx, x);
      Vec.axpy(1 / nr, r, x); // a random part of the same norm as the warm part (see Options.warmStart)
      s[j] = x;
    }
    return s;
  }

  /** x orthogonalised (twice) against v[0..count) and normalised; a random vector if x lies in their span */
  private static double[] orthonormalised(double[] x, double[][] v, int count, boolean[] mask, Random rnd) {
    for (int attempt = 0; attempt < 10; attempt++) {
      double before = Vec.norm(x);
      for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < count; i++) Vec.axpy(-Vec.dot(v[i], x), v[i], x);
      }
      double nx = Vec.norm(x);
      if (nx > 1e-10 * before && nx > 0) {
        Vec.scale(1 / nx, x);
        return x;
      }
      x = Vec.gaussian(x.length, mask, rnd);
    }
    throw new IllegalStateException("no direction is left outside the basis");
  }

  /**
   * m steps of plain Lanczos with full reorthogonalisation from the unit vector along {@code v0}: the tridiagonal
   * T_m as its diagonal alpha and off-diagonal beta (length m - 1). Stops early at an invariant subspace (beta ~ 0),
   * so the arrays may be shorter than m. Used by stochastic Lanczos quadrature.
   */
  public static double[][] tridiagonal(HessianOperator op, double[] v0, int m) {
    int n = op.dim();
    double[][] v = new double[m][];
    double[] alpha = new double[m];
    double[] beta = new double[m];
    double[] q = v0.clone();
    Vec.scale(1 / Vec.norm(q), q);
    int steps = 0;
    for (int j = 0; j < m; j++) {
      v[j] = q;
      double[] w = new double[n];
      op.apply(q, w);
      double before = Vec.norm(w);
      alpha[j] = Vec.dot(q, w);
      for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i <= j; i++) Vec.axpy(-Vec.dot(v[i], w), v[i], w);
      }
      steps = j + 1;
      double bn = Vec.norm(w);
      if (j == m - 1 || bn <= 1e-12 * Math.max(before, 1e-300)) break;
      beta[j] = bn;
      Vec.scale(1 / bn, w);
      q = w;
    }
    return new double[][] { Arrays.copyOf(alpha, steps), Arrays.copyOf(beta, Math.max(0, steps - 1)) };
  }
}
