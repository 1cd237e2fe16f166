package org.trajlab.engine;

/**
 * Hessian-vector products by checked central differences of a gradient, for models without an exact R-operator:
 * Hv ≈ (g(θ + εv) − g(θ − εv)) / 2ε with ε = sqrt(eps_double)·(1 + ‖θ‖)/‖v‖, in DOUBLE (the rule the HVP spike
 * validated: relative error 6.5e-10 against the exact R-operator on a 266k-parameter ReLU MLP; steps of 1e-3 and
 * more cross ReLU kinks and are wrong by orders of magnitude).
 * <p>
 * <b>Kinks.</b> Inside one linear region of the ReLUs the forward difference (g(θ + εv) − g(θ))/ε and the backward
 * difference (g(θ) − g(θ − εv))/ε agree to O(ε). A unit whose pre-activation changes sign within ±εv makes the
 * gradient jump, and the side that crosses it is off by jump/ε. When the two sides disagree, the product is formed
 * again with ε/16, up to {@link #RETRIES} attempts in all ({@link #retries()} counts the retries). When no attempt
 * agrees (a unit sits at its hinge, within rounding of θ itself), the product is the one-sided difference that
 * crossed no kink: a jump grows 16-fold with each smaller step, a kink-free difference quotient does not, so the side
 * whose quotient changed least between the last two attempts is taken, at the largest step from which it stays put
 * (smaller steps lose digits to cancellation). It is first-order accurate, O(ε), instead of O(ε²).
 * {@link #unresolved()} counts these products, so the run log can say how many never agreed.
 */
public final class CentralDifferences {
  /** attempts per product: the first step and three retries, each 16 times smaller */
  public static final int RETRIES = 4;
  /** the forward and backward differences agree when ‖fwd − bwd‖² ≤ AGREEMENT·‖fwd + bwd‖² */
  static final double AGREEMENT = 1e-6;

  /** the mean gradient of the loss at a point, into {@code out}; returns the mean loss */
  @FunctionalInterface
  public interface Gradient {
    double at(double[] theta, double[] out);
  }

  private long retries;
  private long unresolved;

  /**
   * out = H(θ)u by checked central differences; returns the loss at θ estimated from the two shifted points.
   *
   * @param g0 the gradient at θ (callers cache it: Lanczos asks for many products at one point)
   * @param u  the direction, zero on entries that are not parameters; must not be 0
   */
  public double product(Gradient gradient, double[] theta, double[] g0, double[] u, double[] out) {
    int p = theta.length;
    double eps = fdStep(norm(theta), norm(u));
    double[] shifted = new double[p];
    double[] gPlus = new double[p];
    double[] gMinus = new double[p];
    // each attempt's one-sided quotients (g(θ + εu) − g(θ))/ε and (g(θ) − g(θ − εu))/ε, for the case none agrees
    double[][] fwd = new double[RETRIES][];
    double[][] bwd = new double[RETRIES][];
    double lossPlus = 0;
    double lossMinus = 0;
    for (int attempt = 0; attempt < RETRIES; attempt++) {
      for (int i = 0; i < p; i++) shifted[i] = theta[i] + eps * u[i];
      lossPlus = gradient.at(shifted, gPlus);
      for (int i = 0; i < p; i++) shifted[i] = theta[i] - eps * u[i];
      lossMinus = gradient.at(shifted, gMinus);
      double[] f = new double[p];
      double[] b = new double[p];
      for (int i = 0; i < p; i++) {
        f[i] = (gPlus[i] - g0[i]) / eps;
        b[i] = (g0[i] - gMinus[i]) / eps;
      }
      if (distanceSquared(f, b) <= AGREEMENT * sumSquared(f, b)) {
        for (int i = 0; i < p; i++) out[i] = (gPlus[i] - gMinus[i]) / (2 * eps);
        // L(θ) = (L(θ + εv) + L(θ − εv)) / 2 − ε²vᵀHv / 2 + O(ε⁴): the curvature term is ~1e-16 relative here
        return (lossPlus + lossMinus) / 2;
      }
      fwd[attempt] = f;
      bwd[attempt] = b;
      if (attempt < RETRIES - 1) {
        retries++;
        eps /= 16;
      }
    }
    unresolved++;
    double[] chosen = oneSided(fwd, bwd);
    System.arraycopy(chosen, 0, out, 0, p);
    return (lossPlus + lossMinus) / 2;
  }

  /**
   * When no attempt agreed: the side whose quotient did not move between the last two attempts (a jump grows 16-fold
   * with each smaller step, a kink-free quotient stays put), at the largest step from which it stays put (the least
   * rounding: the smallest steps lose digits to cancellation).
   */
  static double[] oneSided(double[][] fwd, double[][] bwd) {
    int last = fwd.length - 1;
    double changeFwd = distanceSquared(fwd[last], fwd[last - 1]) / Math.max(sumSquared(fwd[last], null), Double.MIN_NORMAL);
    double changeBwd = distanceSquared(bwd[last], bwd[last - 1]) / Math.max(sumSquared(bwd[last], null), Double.MIN_NORMAL);
    double[][] side = changeFwd <= changeBwd ? fwd : bwd;
    int k = last;
    while (k > 0 && distanceSquared(side[k - 1], side[k]) <= AGREEMENT * sumSquared(side[k], null)) k--;
    return side[k];
  }

  private static double distanceSquared(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
    return s;
  }

  /** ‖a + b‖², or ‖a‖² when b is null */
  private static double sumSquared(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double x = b == null ? a[i] : a[i] + b[i];
      s += x * x;
    }
    return s;
  }

  /** products recomputed with a smaller step because the two sides disagreed */
  public long retries() {
    return retries;
  }

  /** products whose two sides never agreed (taken one-sided) */
  public long unresolved() {
    return unresolved;
  }

  /** the central-difference step for a direction of norm vNorm at a point of norm thetaNorm (see the class doc) */
  public static double fdStep(double thetaNorm, double vNorm) {
    return Math.sqrt(Math.ulp(1.0)) * (1 + thetaNorm) / vNorm;
  }

  static double norm(double[] x) {
    double s = 0;
    for (double d : x) s += d * d;
    return Math.sqrt(s);
  }
}
