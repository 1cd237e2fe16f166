package org.trajlab.api.chart;

/**
 * One series of a chart: the rows of (probe, quantity), placed at x = step, x = step + index, or
 * x = step + (value of quantity {@code xQuantity} of the same probe at that step).
 */
public record SeriesDescriptor(String probe, String quantity, String label, XMode xMode, String xQuantity, String style) {
  public enum XMode {
    STEP, STEP_PLUS_INDEX, STEP_PLUS_QUANTITY
  }

  /** parses the {@code x} attribute: "step", "step+index" or "step+QUANTITY" */
  public static SeriesDescriptor of(String probe, String quantity, String label, String x, String style) {
    String xs = x == null || x.isBlank() ? "step" : x.trim();
    XMode mode;
    String xq = null;
    if (xs.equals("step")) {
      mode = XMode.STEP;
    } else if (xs.equals("step+index")) {
      mode = XMode.STEP_PLUS_INDEX;
    } else if (xs.startsWith("step+")) {
      mode = XMode.STEP_PLUS_QUANTITY;
      xq = xs.substring(5);
    } else {
      throw new IllegalArgumentException("x must be step, step+index or step+QUANTITY: " + x);
    }
    return new SeriesDescriptor(probe, quantity, label == null ? quantity : label, mode, xq,
        style == null ? "line" : style);
  }
}
