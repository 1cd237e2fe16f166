package org.trajlab.ui.charts;

import java.util.HashMap;
import java.util.Map;

import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swtchart.LineStyle;
import org.trajlab.api.chart.ChartDescriptor;
import org.trajlab.api.chart.ChartKind;
import org.trajlab.api.chart.SeriesDescriptor;

/**
 * The Compare view's chart: a {@link ChartKind#LINES} chart (one series per run, the legend naming each by what
 * differs in its spec) whose series are coloured on the {@link Colormap} by a positive value of each run (η, S or
 * η/S) on a log scale, with a {@link ColourScale} beside it. When every run has the same value the scale says so and
 * the series take the palette's colours, so they stay apart.
 */
public class ComparePanel extends LinesPanel {
  /** the part of the colour map the runs' values span (the top of the scale is beyond the largest value) */
  public static final double TOP = 0.8;
  private final ColourScale scale;
  /** series label -> the run's colour value */
  private final Map<String, Double> values = new HashMap<>();
  private double logMin = Double.NaN;
  private double logMax = Double.NaN;

  public ComparePanel(Composite parent, ChartDescriptor d) {
    super(parent, d);
    ((GridLayout) getLayout()).numColumns = 2;
    if (header() != null) {
      ((GridData) header().getLayoutData()).horizontalSpan = 2;
    }
    scale = new ColourScale(this);
  }

  /**
   * colours each series (by label) by {@code byLabel}'s value, titled {@code title} on the scale; call before
   * {@link #update}
   */
  public void colourBy(String title, Map<String, Double> byLabel) {
    values.clear();
    values.putAll(byLabel);
    logMin = Double.POSITIVE_INFINITY;
    logMax = Double.NEGATIVE_INFINITY;
    for (double v : byLabel.values()) {
      if (LogScale.drawable(v)) {
        logMin = Math.min(logMin, Math.log10(v));
        logMax = Math.max(logMax, Math.log10(v));
      }
    }
    if (logMin > logMax) {
      logMin = logMax = Double.NaN;
      scale.show(title, Double.NaN, Double.NaN, false, true);
    } else if (logMin == logMax) {
      scale.show(title + " " + LogScale.plain(Math.pow(10, logMin)) + " (all)", Double.NaN, Double.NaN, false, true);
    } else {
      // viridis' last fifth is yellow, too pale for a line on white: the largest value is drawn green
      logMax = logMin + (logMax - logMin) / TOP;
      scale.show(title, logMin, logMax, false, true);
    }
  }

  /** whether the runs' colours come from the scale (their values differ) */
  public boolean coloursByValue() {
    return !Double.isNaN(logMin) && logMax > logMin;
  }

  @Override
  protected Color seriesColor(SeriesDescriptor s, int i) {
    Double v = values.get(s.label());
    if (!coloursByValue() || v == null || !LogScale.drawable(v)) {
      return super.seriesColor(s, i);
    }
    return Colormap.color(Math.log10(v), logMin, logMax);
  }

  /** runs that share a colour value: the first solid, the next dashed, dotted, dash-dotted */
  @Override
  protected LineStyle lineStyle(SeriesDescriptor s, int i) {
    if (!coloursByValue()) {
      return LineStyle.SOLID;
    }
    Double v = values.get(s.label());
    int before = 0;
    for (SeriesDescriptor other : getDescriptor().series().subList(0, Math.min(i, getDescriptor().series().size()))) {
      if (v != null && v.equals(values.get(other.label()))) {
        before++;
      }
    }
    return SHARED[before % SHARED.length];
  }

  private static final LineStyle[] SHARED = { LineStyle.SOLID, LineStyle.DASH, LineStyle.DOT, LineStyle.DASHDOT };

  /** the scale beside the chart */
  public ColourScale getScale() {
    return scale;
  }

  @Override
  protected ColourScale colourScale() {
    return scale;
  }
}
