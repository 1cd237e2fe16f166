package org.trajlab.ui.charts;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.FieldPosition;
import java.text.ParsePosition;
import java.util.Locale;

import org.eclipse.swtchart.IAxis;
import org.eclipse.swtchart.Range;

/**
 * Log axes that read well. SWTChart's own log scale puts a tick and a grid line at every 1…9 × 10^k and labels
 * whichever fit ("8E1, 6E1, 4E1"; over 49 decades a barcode), so the renderer plots log10 of the values on a linear
 * axis instead: its ticks are whole decades (a step of 1, or 2 or 5 decades when they would crowd), labelled
 * 0.01, 0.1, 1, 10, 100 or 10⁻⁵ ({@link #label(int)}), with grid lines at those labels only; where a decade is tall
 * enough the renderer adds 2 and 5 between them ({@link #between}), with tick marks and no grid lines. The axis
 * spans whole decades around the values, at most {@code decades} decades below the largest, and a margin of
 * {@link AxisRanges#MARGIN} of them beyond the outer decades ({@link AxisRanges#log}).
 */
public final class LogScale {
  /** the fewest pixels between two decade labels; closer decades are labelled every 2 or 5 */
  public static final int MIN_DECADE_PIXELS = 24;
  private static final double EDGE = 0.02;
  private static final char[] SUPERSCRIPT = { '\u2070', '\u00b9', '\u00b2', '\u00b3', '\u2074', '\u2075', '\u2076',
      '\u2077', '\u2078', '\u2079' };

  private LogScale() {}

  /** whether {@code v} has a place on a log axis */
  public static boolean drawable(double v) {
    return v > 0 && Double.isFinite(v);
  }

  /**
   * the decades in log10 units for positive values from {@code min} to {@code max}: from a whole decade at or
   * below the smallest (but at most {@code decades} below the top) to the whole decade at or above the largest,
   * at least one decade; a value less than 5% beyond a power of ten does not add a decade (the axis's margin,
   * {@link AxisRanges#log}, holds it)
   */
  public static Range range(double min, double max, int decades) {
    return decades(Math.log10(min), Math.log10(max), decades);
  }

  /** {@link #range} of the values whose log10 run from {@code log10Min} to {@code log10Max} */
  public static Range decades(double log10Min, double log10Max, int decades) {
    // a value within EDGE decades (5%) beyond a power of ten stays in the margin rather than adding a decade
    double top = Math.ceil(log10Max - EDGE);
    double bottom = Math.max(Math.floor(log10Min + EDGE), top - decades);
    if (top - bottom < 1) {
      bottom = top - 1;
    }
    return new Range(bottom, top);
  }

  /**
   * sets {@code axis} (plotting log10 values) to {@code range}, labelled at decades: the tick step hint is the
   * pixels per decade of {@code pixels}, the axis length, so that SWTChart's linear step comes out as one decade
   * (or 2 or 5 when decades are closer than {@value #MIN_DECADE_PIXELS} px)
   */
  public static void apply(IAxis axis, Range range, int pixels) {
    axis.getTick().setFormat(FORMAT);
    axis.setRange(range);
    hint(axis, pixels);
  }

  /** re-fits the tick step to the axis length {@code pixels}; returns whether it changed */
  public static boolean hint(IAxis axis, int pixels) {
    Range r = axis.getRange();
    double decades = r.upper - r.lower;
    if (pixels <= 0 || !(decades > 0)) {
      return false;
    }
    int hint = (int) Math.max(MIN_DECADE_PIXELS, Math.round(pixels / decades));
    if (axis.getTick().getTickMarkStepHint() == hint) {
      return false;
    }
    axis.getTick().setTickMarkStepHint(hint);
    return true;
  }

  /** the label of 10^k: 0.001 … 10000 in plain digits, beyond that 10 with a superscript exponent (10⁻⁵, 10⁶) */
  public static String label(int k) {
    if (k >= -3 && k <= 4) {
      return BigDecimal.ONE.scaleByPowerOfTen(k).toPlainString();
    }
    StringBuilder s = new StringBuilder("10");
    if (k < 0) {
      s.append('\u207b');
    }
    for (char c : Integer.toString(Math.abs(k)).toCharArray()) {
      s.append(SUPERSCRIPT[c - '0']);
    }
    return s.toString();
  }

  /** the label of m × 10^k (m = 2 or 5, say): plain digits from 0.002 to 50000, else m×10 with a superscript exponent */
  public static String label(int m, int k) {
    if (k >= -3 && k <= 4) {
      return BigDecimal.valueOf(m).scaleByPowerOfTen(k).toPlainString();
    }
    return m + "\u00d7" + label(k);
  }

  /**
   * the labels between decades on an axis with {@code pixelsPerDecade} and text {@code textHeight} high: 2 and 5
   * (× 10^k) when they fit without touching, else none. They get a tick mark but no grid line.
   */
  public static int[] between(double pixelsPerDecade, int textHeight) {
    return pixelsPerDecade * Math.log10(2) >= textHeight + 2 ? new int[] { 2, 5 } : new int[0];
  }

  /** a number as a person writes it: 1, 0.5, 250, 1.5e-05 (at most 4 significant digits) */
  public static String plain(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e7) {
      return Long.toString((long) v);
    }
    String s = String.format(Locale.ROOT, "%.4g", v);
    if (s.contains("e")) {
      return s;
    }
    return new BigDecimal(s).stripTrailingZeros().toPlainString();
  }

  /** the tick label of a log10 value: {@link #label(int)} at whole decades, two significant digits between them */
  public static String tickLabel(double log10) {
    long k = Math.round(log10);
    if (Math.abs(log10 - k) < 1e-6 && Math.abs(k) < 400) {
      return label((int) k);
    }
    return String.format(Locale.ROOT, "%.2g", Math.pow(10, log10));
  }

  static final DecadeFormat FORMAT = new DecadeFormat();

  /**
   * SWTChart's tick format: {@link #tickLabel(double)} of the log10 tick value. Labels do not parse back, so SWTChart
   * keeps every label it has room for instead of replacing some with "...".
   */
  static final class DecadeFormat extends DecimalFormat {
    private static final long serialVersionUID = 1L;

    DecadeFormat() {
      super("0", DecimalFormatSymbols.getInstance(Locale.ROOT));
    }

    @Override
    public StringBuffer format(double number, StringBuffer result, FieldPosition pos) {
      return result.append(tickLabel(number));
    }

    @Override
    public StringBuffer format(long number, StringBuffer result, FieldPosition pos) {
      return result.append(tickLabel(number));
    }

    @Override
    public Number parse(String text, ParsePosition pos) {
      return null;
    }
  }
}
