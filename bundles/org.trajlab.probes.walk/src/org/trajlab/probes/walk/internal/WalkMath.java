package org.trajlab.probes.walk.internal;

/**
 * The quantities of paper 000 ("A Walk with SGD") as small pure functions (INSTRUMENTS.md section 1). For update
 * t, the loss is sampled on theta_t^alpha = (1 - alpha) theta_t + alpha theta_{t+1} over a uniform alpha grid with
 * n interior points and both ends.
 */
public final class WalkMath {
  private WalkMath() {}

  /** alpha_i = i / (n + 1), i = 0 .. n + 1: n interior points plus both ends */
  public static double[] alphaGrid(int interior) {
    double[] a = new double[interior + 2];
    for (int i = 0; i < a.length; i++) {
      a[i] = (double) i / (interior + 1);
    }
    return a;
  }

  /** theta^alpha = (1 - alpha) theta + alpha thetaNext, written into out */
  public static void interpolate(double[] theta, double[] thetaNext, double alpha, double[] out) {
    for (int i = 0; i < out.length; i++) {
      out[i] = (1 - alpha) * theta[i] + alpha * thetaNext[i];
    }
  }

  /** index of the valley floor: argmin over the grid (the first one on ties) */
  public static int floorIndex(double[] losses) {
    int best = 0;
    for (int i = 1; i < losses.length; i++) {
      if (losses[i] < losses[best]) {
        best = i;
      }
    }
    return best;
  }

  /** a step "has a valley" when the floor lies strictly inside the segment */
  public static boolean hasValley(double[] losses) {
    int i = floorIndex(losses);
    return i > 0 && i < losses.length - 1;
  }

  /** h_t = (L(theta_t) + L(theta_{t+1}) - 2 F_t) / 2 */
  public static double heightAboveFloor(double lossStart, double lossEnd, double valleyFloor) {
    return (lossStart + lossEnd - 2 * valleyFloor) / 2;
  }

  /**
   * The default relative barrier tolerance for the precision the objective evaluates losses in: 1e-5 for
   * {@code "float"}, 1e-10 for {@code "double"}. Why: a loss is a mean over thousands of examples accumulated in
   * that precision, and every interior point theta^alpha is rounded to it before evaluation, so two evaluations of
   * the same flat line differ by rounding noise. In float (unit roundoff u = 2^-24, about 6e-8) that noise is
   * about 1e-7 to 1e-6 of the loss (sqrt(5000)·u is 4e-6 for rounding errors that do not add up coherently), and
   * such a wiggle must not count as a barrier; 1e-5 stays a few times above it. In double (u about 1.1e-16) the
   * same reasoning gives 1e-13 to 1e-12, and 1e-10 keeps the margin while a bump of 1e-8 of the loss still counts.
   */
  public static double defaultBarrierTol(String precision) {
    return switch (precision) {
      case "float" -> 1e-5;
      case "double" -> 1e-10;
      default -> throw new IllegalArgumentException("no default barrier tolerance for precision '" + precision
          + "'; give the walk's barrierTol.");
    };
  }

  /** the largest interior loss minus max(L(theta_t), L(theta_{t+1})), negative when every interior loss is lower */
  public static double barrierExcess(double[] losses) {
    double ends = Math.max(losses[0], losses[losses.length - 1]);
    double top = Double.NEGATIVE_INFINITY;
    for (int i = 1; i < losses.length - 1; i++) {
      top = Math.max(top, losses[i]);
    }
    return top - ends;
  }

  /**
   * Update t crosses a barrier (INSTRUMENTS.md section 1) when some interior loss exceeds max(L(theta_t),
   * L(theta_{t+1})) by more than the evaluation's rounding noise: barrierExcess &gt; tol · max(|L(theta_t)|,
   * |L(theta_{t+1})|), tol relative (see {@link #defaultBarrierTol}).
   */
  public static boolean crossesBarrier(double[] losses, double tol) {
    double scale = Math.max(Math.abs(losses[0]), Math.abs(losses[losses.length - 1]));
    return barrierExcess(losses) > tol * scale;
  }

  /** barrier height: {@link #barrierExcess} when the update {@link #crossesBarrier crosses a barrier}, else 0 */
  public static double barrierHeight(double[] losses, double tol) {
    return crossesBarrier(losses, tol) ? barrierExcess(losses) : 0;
  }

  public static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  public static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }

  /** cos(a, b) = <a, b> / (|a| |b|); NaN when either is zero */
  public static double cosine(double[] a, double[] b) {
    double na = norm(a);
    double nb = norm(b);
    return na == 0 || nb == 0 ? Double.NaN : dot(a, b) / (na * nb);
  }

  /** |a - b| */
  public static double distance(double[] a, double[] b) {
    return distance(a, b, null);
  }

  /**
   * |a - b| over the entries {@code mask} marks (all when null): batch-norm running statistics sit in the flat
   * vector but are not parameters, so distances and norms of the walk leave them out
   */
  public static double distance(double[] a, double[] b, boolean[] mask) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      if (mask != null && !mask[i]) continue;
      double d = a[i] - (b == null ? 0 : b[i]);
      s += d * d;
    }
    return Math.sqrt(s);
  }

  /** the mean of xs[0..n): the per-epoch {@code height_epoch_mean}; NaN when n = 0 */
  public static double mean(double[] xs, int n) {
    if (n == 0) {
      return Double.NaN;
    }
    double m = 0;
    for (int i = 0; i < n; i++) {
      m += xs[i];
    }
    return m / n;
  }

  /**
   * The SAMPLE variance of xs[0..n), sum (x - mean)^2 / (n - 1): {@code height_epoch_var}. Sample (n - 1), not
   * population (n), because that is torch's default ({@code Tensor.var}, {@code Tensor.std}), which the papers' code
   * used for the "±" of paper 000's Tables 2-3. NaN when n &lt; 2. Two passes with the correction term
   * (sum (x - mean))^2 / n, so a spread far below the mean (heights 9.8e-5 ± 2e-9) keeps its digits.
   */
  public static double sampleVariance(double[] xs, int n) {
    if (n < 2) {
      return Double.NaN;
    }
    double m = mean(xs, n);
    double sq = 0;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double d = xs[i] - m;
      sq += d * d;
      sum += d;
    }
    return (sq - sum * sum / n) / (n - 1);
  }

  /** the SAMPLE standard deviation sqrt({@link #sampleVariance}): {@code height_epoch_std}; NaN when n &lt; 2 */
  public static double sampleStd(double[] xs, int n) {
    return Math.sqrt(sampleVariance(xs, n));
  }

  /**
   * Welford's update of M2, the sum of squared deviations from the mean, when x joins values whose mean was
   * {@code meanBefore} and is {@code meanAfter} with x: M2 + (x - meanBefore)(x - meanAfter). The sample variance of
   * n values is M2 / (n - 1); the walk keeps it for the whole run without keeping every height.
   */
  public static double addToSquaredDeviations(double m2, double meanBefore, double meanAfter, double x) {
    return m2 + (x - meanBefore) * (x - meanAfter);
  }
}
