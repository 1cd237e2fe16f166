package org.trajlab.api.chart;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One series of a chart: the rows of (probe, quantity), placed at x = step, x = step + index, or
 * x = step + (value of quantity {@code xQuantity} of the same probe at that step). {@code residual} and
 * {@code converged} name quantities of the same probe and index that a spectrum's hover text reports (or null).
 * <p>
 * In a {@link ChartKind#SCATTER} chart the series plots one quantity against another at the same step:
 * {@code scatterX} gives x (any probe's quantity, optionally one index of it), (probe, quantity, {@code index}) gives
 * y, and {@code colour} the colour of each point (a third quantity, or the step), or null for one colour.
 */
public record SeriesDescriptor(String probe, String quantity, String label, XMode xMode, String xQuantity, String style,
    String residual, String converged, Double index, QuantityRef scatterX, QuantityRef colour) {
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
        blankToNull(converged), null, null, null);
  }

  /**
   * a series of a scatter chart: y is (probe, quantity) at {@code index} (null: the rows without an index), x is
   * {@code x}, the colour {@code colour} (null: one colour); {@code style} "points" (the default) or "line" (the
   * points joined in step order, a trajectory)
   */
  public static SeriesDescriptor scatter(String probe, String quantity, Double index, String label, QuantityRef x,
      QuantityRef colour, String style) {
    if (probe == null || probe.isBlank() || quantity == null || quantity.isBlank()) {
      throw new IllegalArgumentException("a series needs a probe and a quantity");
    }
    if (x == null || x.isStep()) {
      throw new IllegalArgumentException("a scatter series needs x, the quantity it plots its y against");
    }
    String st = style == null ? "points" : style;
    if (!st.equals("line") && !st.equals("points")) {
      throw new IllegalArgumentException("style must be line or points: " + style);
    }
    return new SeriesDescriptor(probe, quantity, label == null ? quantity : label, XMode.STEP, null, st, null, null,
        index, x, colour);
  }

  /**
   * this lines series restricted to the rows at {@code index} (one curve of an indexed quantity over the steps, e.g.
   * the step test's change of the loss at a = 1); null: every row of the quantity
   */
  public SeriesDescriptor atIndex(Double index) {
    return new SeriesDescriptor(probe, quantity, label, xMode, xQuantity, style, residual, converged, index, scatterX,
        colour);
  }

  /**
   * y's rows: (probe, quantity) at {@link #index()} (scatter series, and lines series that name an index; other
   * lines series read every row of the quantity)
   */
  public QuantityRef y() {
    return new QuantityRef(probe, quantity, index);
  }

  /**
   * the probe columns every run writes whatever its spec (the engine's {@code train} and {@code eval} rows): a series
   * never needs a spec's probe for them
   */
  public static final Set<String> ENGINE_COLUMNS = Set.of("train", "eval");

  /**
   * the probes a run's spec must have for the series to have points: its probe, and a scatter's x's probe (a point
   * needs both); a colour is optional, and the engine's own columns ({@link #ENGINE_COLUMNS}) need no probe
   */
  public Set<String> needs() {
    Set<String> n = new LinkedHashSet<>();
    n.add(probe);
    if (scatterX != null) n.add(scatterX.probe());
    n.removeAll(ENGINE_COLUMNS);
    return n;
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

  /**
   * every (probe, quantity) the series reads, as "probe/quantity": those of {@link #quantities()}, and a scatter
   * series' x and colour, which may belong to other probes
   */
  public Set<String> reads() {
    Set<String> r = new LinkedHashSet<>();
    quantities().forEach(q -> r.add(probe + "/" + q));
    for (QuantityRef ref : new QuantityRef[] { scatterX, colour }) {
      if (ref != null && !ref.isStep()) r.add(ref.probe() + "/" + ref.quantity());
    }
    return r;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
