package org.trajlab.probes.walk;

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
   * Barrier height: the largest interior loss minus max(L(theta_t), L(theta_{t+1})) when positive (the update
   * crosses a barrier), else 0.
   */
  public static double barrierHeight(double[] losses) {
    double ends = Math.max(losses[0], losses[losses.length - 1]);
    double top = Double.NEGATIVE_INFINITY;
    for (int i = 1; i < losses.length - 1; i++) {
      top = Math.max(top, losses[i]);
    }
    return top > ends ? top - ends : 0;
  }

  public static boolean crossesBarrier(double[] losses) {
    return barrierHeight(losses) > 0;
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

  /** mean and (population) standard deviation */
  public static double[] meanAndStd(double[] xs, int n) {
    if (n == 0) {
      return new double[] { Double.NaN, Double.NaN };
    }
    double m = 0;
    for (int i = 0; i < n; i++) {
      m += xs[i];
    }
    m /= n;
    double v = 0;
    for (int i = 0; i < n; i++) {
      v += (xs[i] - m) * (xs[i] - m);
    }
    return new double[] { m, Math.sqrt(v / n) };
  }
}
