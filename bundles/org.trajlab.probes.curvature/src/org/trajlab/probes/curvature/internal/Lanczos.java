package org.trajlab.probes.curvature.internal;

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
 * ever sees one direction of an eigenspace). After every product (once K vectors are multiplied) the Rayleigh-Ritz
 * pairs (theta_i, y_i = V s_i) of T are formed, ordered by |theta|, and their Ritz residual estimates ||B s_i|| are
 * checked; when all K are below tol·|theta_1| the iteration stops. When V holds m = max(2K + 10, K + 3·block, 20)
 * multiplied vectors and they are not, the method restarts thick (Wu and Simon 2000, equivalent to implicit
 * restarting): V becomes the best l Ritz vectors (l = K + (m - K) / 2) plus F, T becomes diag(theta) with the coupling
 * rows B S, and growth continues. The small projected problems (the symmetric part of T, which removes rounding) are
 * solved by commons-math3's {@link EigenDecomposition}, in one place ({@code Ritz}).
 * <p>
 * <b>Reported residuals are true ones.</b> At the end every returned vector y is multiplied once more (K extra
 * products, on top of {@code maxHvps}); the returned value is the Rayleigh quotient y^T H y and the residual is
 * ||H y - (y^T H y) y||. A pair is {@code converged} only when that true residual is at most tol·|lambda_1|; a
 * budget that runs out (restarts or products) leaves the flags false, never true. The Ritz estimate is used only to
 * decide when to stop iterating.
 * <p>
 * <b>Start.</b> A seeded Gaussian block restricted to the mask (trainable entries), or a warm start from previous
 * eigenvectors: with block 1 the start vector is their normalised sum plus a fresh random vector of equal norm; with
 * block b, column j sums the previous vectors j, j + b, ... plus its own fresh random part. The random part must be
 * substantial: the iteration stops as soon as the Ritz estimates of the top K are small, and a warm start reaches that
 * after few products, before the Krylov polynomial has amplified a direction the previous vectors miss. When a NEW
 * larger eigenvalue appears between two calls orthogonally to the old vectors (LanczosTest: old top {10, ..., 6}, new
 * 11 or 10.2, n = 3,000, K = 5, tol 1e-3), a random part of 0.01 let 11 of 30 warm runs stop after 16 products on the
 * old five pairs, all flagged converged; with equal norm none did, at about 3 more products per call (21 against 17;
 * cold starts take 23). A minimum number of products before a warm start may stop was tried and not adopted: only about
 * as many products as a cold start needs closed the last gap (a new eigenvalue 0.2% above the old lambda_1 at n =
 * 20,000 was missed in 4 of 200 warm runs, 0 cold), which would take away what a warm start saves. In these
 * measurements a warm start was as reliable as a cold one except for a new eigenvalue within a fraction of a percent of
 * the old top.
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
    Ritz ritz;
    while (true) {
      ritz = null;
      boolean grow = true;
      while (grow && ne < m && h.products() < o.maxHvps) {
        h.apply(v[ne], w);
        Vec.restrict(w, o.mask);
        double before = Vec.norm(w);
        double[] c = new double[nb];
        orthogonalise(w, v, nb, c);
        for (int i = 0; i < nb; i++) t[i][ne] += c[i];
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
        ritz = ne < k || ne == m ? null : Ritz.of(t, ne);
        grow = ritz == null || !ritz.estimatesBelow(t, nb, k, o.tol);
      }
      // Rayleigh-Ritz on the ne multiplied vectors (done above when the last product was checked)
      if (ritz == null) ritz = Ritz.of(t, ne);
      boolean done = ritz.estimatesBelow(t, nb, k, o.tol);
      if (done || ne < k || restarts >= o.maxRestarts || h.products() >= o.maxHvps) break;
      double[] theta = ritz.theta();
      double[][] s = ritz.s();
      int[] order = ritz.order();
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
    double[][] y = combine(v, ne, ritz.s(), ritz.order(), kk, n);
    return verified(h, y, k, o.tol, restarts, "lanczos");
  }

  /** the symmetric part (A + A^T) / 2 of the leading n x n block of a: the projected matrix, rounding removed */
  private static double[][] symmetricPart(double[][] a, int n) {
    double[][] sym = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) sym[i][j] = 0.5 * (a[i][j] + a[j][i]);
    }
    return sym;
  }

  /**
   * Rayleigh-Ritz on a small projected matrix: the eigenpairs (theta_i, s_i) of the symmetric part {@code a} of its
   * leading block (columns of {@code s}), and their indices by |theta| descending ({@code order}).
   */
  private record Ritz(double[][] a, double[] theta, double[][] s, int[] order) {
    static Ritz of(double[][] t, int ne) {
      double[][] a = symmetricPart(t, ne);
      EigenDecomposition ed = new EigenDecomposition(new Array2DRowRealMatrix(a, false));
      double[] theta = ed.getRealEigenvalues();
      return new Ritz(a, theta, ed.getV().getData(), byMagnitude(theta));
    }

    /**
     * Every Ritz estimate ||B s_i|| of the top k is at most tol·|theta_1|; B are the rows ne..nb-1 of t, the coupling
     * of the ne multiplied vectors to those not yet multiplied.
     */
    boolean estimatesBelow(double[][] t, int nb, int k, double tol) {
      int ne = theta.length;
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
    Ritz ritz = Ritz.of(a, d);
    RealMatrix am = new Array2DRowRealMatrix(ritz.a(), false);
    double[] values = new double[k];
    double[][] vectors = new double[k][];
    double[] res = new double[k];
    boolean[] conv = new boolean[k];
    for (int q = 0; q < k; q++) {
      double[] u = column(ritz.s(), ritz.order()[q]);
      double[] hu = am.operate(u);
      double lam = Vec.dot(u, hu) / Vec.dot(u, u);
      values[q] = lam;
      res[q] = residual(hu, lam, u);
      double[] full = new double[n];
      for (int i = 0; i < d; i++) full[idx[i]] = u[i];
      vectors[q] = full;
    }
    double scale = Math.abs(values[0]);
    for (int q = 0; q < k; q++) conv[q] = res[q] <= o.tol * scale;
    return new Eigenpairs(values, vectors, res, conv, h.products(), 0, "dense");
  }

  /** column c of a matrix stored by rows */
  private static double[] column(double[][] a, int c) {
    double[] x = new double[a.length];
    for (int i = 0; i < a.length; i++) x[i] = a[i][c];
    return x;
  }

  /** ||H y - lambda y|| from the product hy = H y */
  private static double residual(double[] hy, double lambda, double[] y) {
    double r = 0;
    for (int i = 0; i < y.length; i++) {
      double d = hy[i] - lambda * y[i];
      r += d * d;
    }
    return Math.sqrt(r);
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
      values[q] = lam;
      res[q] = residual(hy, lam, y[q]);
    }
    int[] ord = byMagnitude(values);
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
      orthogonalise(x, v, count, null);
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
   * w minus its components along the orthonormal v[0..count), by classical Gram-Schmidt applied twice ("twice is
   * enough" for full reorthogonalisation); the coefficients of both passes are added to {@code coefficients} (null:
   * not kept)
   */
  private static void orthogonalise(double[] w, double[][] v, int count, double[] coefficients) {
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < count; i++) {
        double c = Vec.dot(v[i], w);
        if (coefficients != null) coefficients[i] += c;
        Vec.axpy(-c, v[i], w);
      }
    }
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
      orthogonalise(w, v, j + 1, null);
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
