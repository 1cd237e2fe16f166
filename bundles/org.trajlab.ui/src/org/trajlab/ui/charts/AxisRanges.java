package org.trajlab.ui.charts;

import org.eclipse.swtchart.Range;

/**
 * The ranges the renderer gives its axes: every plotted value inside, with a margin of {@value #MARGIN} of the span
 * on both sides, so that a point or a line at an extreme is drawn whole and clear of the axis line (a line along a
 * minimum drawn on the axis line is hidden by it, a point there is cut in half). SWTChart's own fit clamps to the
 * values' exact minimum and maximum; {@link ChartPanel} replaces it after every redraw.
 */
public final class AxisRanges {
  /** the share of the span added beyond the values on each side */
  public static final double MARGIN = 0.05;
  /** the half-width of the range around a single value, as a share of its size (1 around 0) */
  public static final double SINGLE = 0.1;
  /**
   * values closer than this share of their size count as a single value (SWTChart silently ignores a range narrower
   * than 1e-13 of its ends)
   */
  static final double SAME = 1e-9;

  private AxisRanges() {}

  /**
   * a linear axis for values from {@code min} to {@code max}: the span plus {@value #MARGIN} of it on each side;
   * a single value gets ±{@value #SINGLE} of its size around it (±1 around 0)
   */
  public static Range linear(double min, double max) {
    double span = max - min;
    if (!(span > SAME * Math.max(Math.abs(min), Math.abs(max)))) {
      double centre = (min + max) / 2;
      double half = centre == 0 ? 1 : SINGLE * Math.abs(centre);
      return new Range(centre - half, centre + half);
    }
    return new Range(min - MARGIN * span, max + MARGIN * span);
  }

  /**
   * a log axis (in log10 units) for values whose log10 run from {@code log10Min} to {@code log10Max}: the whole
   * decades {@link LogScale#decades} chooses (at most {@code decades} below the top), plus {@value #MARGIN} of them
   * on each side. The margin also holds a value up to 5% beyond the top decade, which adds no decade.
   */
  public static Range log(double log10Min, double log10Max, int decades) {
    Range d = LogScale.decades(log10Min, log10Max, decades);
    double pad = MARGIN * (d.upper - d.lower);
    return new Range(d.lower - pad, d.upper + pad);
  }
}
