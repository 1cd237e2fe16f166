package org.trajlab.api.chart;

/**
 * One quantity a scatter chart reads for a coordinate or a colour: the rows of (probe, quantity), and of those only
 * the rows with {@code index} when it is given (λ_1 among the Hessian eigenvalues: {@code hessian_eig} index 1), else
 * only the rows without an index. {@link #STEP} stands for the step itself (a colour by time).
 */
public record QuantityRef(String probe, String quantity, Double index) {
  /** the quantity name that stands for the step of a point rather than a row */
  public static final String STEP = "step";

  public QuantityRef {
    if (quantity == null || quantity.isBlank()) {
      throw new IllegalArgumentException("a quantity reference needs a quantity");
    }
    if (!isStep(quantity) && (probe == null || probe.isBlank())) {
      throw new IllegalArgumentException("the quantity '" + quantity + "' needs a probe");
    }
  }

  /** the step of each point, no rows */
  public static QuantityRef step() {
    return new QuantityRef(null, STEP, null);
  }

  public boolean isStep() {
    return isStep(quantity);
  }

  private static boolean isStep(String quantity) {
    return STEP.equals(quantity);
  }

  /** whether {@code r} is a row this reference reads */
  public boolean matches(org.trajlab.api.store.MetricRow r) {
    if (isStep() || !r.probe().equals(probe) || !r.quantity().equals(quantity)) {
      return false;
    }
    return index == null ? !r.hasIndex() : r.hasIndex() && r.index() == index;
  }

  /** "hessian_eig[1] (curvature)" */
  @Override
  public String toString() {
    return isStep() ? STEP : quantity + (index == null ? "" : "[" + format(index) + "]") + " (" + probe + ")";
  }

  private static String format(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
