package org.trajlab.api.store;

import java.util.Locale;

import org.apache.commons.csv.CSVFormat;

/**
 * The CSV dialect of metrics.csv: a header, comma separated, '\n' line ends, numbers pandas reads directly.
 * {@link MetricsWriter} writes and {@link MetricsReader} reads it with the same {@link #CSV} format.
 */
public final class MetricsFormat {
  public static final String[] HEADER = { "step", "epoch", "probe", "quantity", "index", "value" };
  /** the one dialect, for writing and for reading */
  public static final CSVFormat CSV = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').build();

  private MetricsFormat() {}

  /** shortest text that reads back to the same double; NaN, inf and -inf as pandas spells them; integers plain */
  public static String number(double v) {
    if (Double.isNaN(v)) return "NaN";
    if (v == Double.POSITIVE_INFINITY) return "inf";
    if (v == Double.NEGATIVE_INFINITY) return "-inf";
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  public static double parse(String s) {
    if (s == null || s.isEmpty()) return Double.NaN;
    switch (s.toLowerCase(Locale.ROOT)) {
      case "nan": return Double.NaN;
      case "inf": case "infinity": case "+inf": return Double.POSITIVE_INFINITY;
      case "-inf": case "-infinity": return Double.NEGATIVE_INFINITY;
      default: return Double.parseDouble(s);
    }
  }
}
