package org.trajlab.api.chart;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One series of a chart: the rows of (probe, quantity), placed at x = step, x = step + index, or
 * x = step + (value of quantity {@code xQuantity} of the same probe at that step). {@code residual} and
 * {@code converged} name quantities of the same probe and index that a spectrum's hover text reports (or null).
 */
public record SeriesDescriptor(String probe, String quantity, String label, XMode xMode, String xQuantity, String style,
    String residual, String converged) {
  public enum XMode {
    STEP, STEP_PLUS_INDEX, STEP_PLUS_QUANTITY
  }

  /** parses the {@code x} attribute: "step", "step+index" or "step+QUANTITY" */
  public static SeriesDescriptor of(String probe, String quantity, String label, String x, String style) {
    return of(probe, quantity, label, x, style, null, null);
  }

  /** as {@link #of(String, String, String, String, String)}, with the quantities a spectrum's hover text reports */
  public static SeriesDescriptor of(String probe, String quantity, String label, String x, String style,
      String residual, String converged) {
    if (probe == null || probe.isBlank() || quantity == null || quantity.isBlank()) {
      throw new IllegalArgumentException("a series needs a probe and a quantity");
    }
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
    String st = style == null ? "line" : style;
    if (!st.equals("line") && !st.equals("points")) {
      throw new IllegalArgumentException("style must be line or points: " + style);
    }
    return new SeriesDescriptor(probe, quantity, label == null ? quantity : label, mode, xq, st, blankToNull(residual),
        blankToNull(converged));
  }

  /** every quantity of {@link #probe()} the series reads */
  public Set<String> quantities() {
    Set<String> q = new LinkedHashSet<>();
    q.add(quantity);
    for (String other : new String[] { xQuantity, residual, converged }) {
      if (other != null) q.add(other);
    }
    return q;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
