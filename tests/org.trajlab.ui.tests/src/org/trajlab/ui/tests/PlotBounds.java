package org.trajlab.ui.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.swt.graphics.Point;
import org.eclipse.swtchart.Chart;
import org.eclipse.swtchart.IAxis;
import org.eclipse.swtchart.ISeries;
import org.eclipse.swtchart.Range;
import org.trajlab.api.chart.ChartDescriptor;
import org.trajlab.api.chart.ChartKind;
import org.trajlab.api.chart.HeatmapData;
import org.trajlab.ui.InstrumentView;
import org.trajlab.ui.charts.ChartPanel;
import org.trajlab.ui.charts.HeatmapPanel;

/**
 * Every plotted point of every chart of a view lies inside its chart's axis ranges, as plotted (log10 of the value on
 * a log axis), clear of the plot's edges: a point on or beyond an axis is cut off or hidden by the axis line. The one
 * exception is what a log axis leaves out on purpose: values more than {@code decades} decades below the whole decade
 * at or above the largest (the decade logic of {@link org.trajlab.ui.charts.LogScale#range}). A heat map's cells
 * reach the axes by design; their centres must lie inside. In a chart on screen the axes must also map onto the plot
 * area's current size.
 */
final class PlotBounds {
  /** the fewest pixels between a shown point and the edge of the plot area (SWTChart's symbols are 3 px) */
  static final int INSET_PIXELS = 3;
  /** LogScale's tolerance: a value this far (in decades) beyond a power of ten does not open another decade */
  private static final double LOG_EDGE = 0.02;

  private PlotBounds() {}

  /**
   * fails, listing every point outside its axes, when a chart of {@code view} plots one; {@code when} says at which
   * moment (e.g. "after the lines up to step 150"). Charts shown in the view are also checked in pixels.
   */
  static void assertInside(InstrumentView view, String when) {
    List<String> outside = violations(view, when);
    if (!outside.isEmpty()) {
      fail(outside.size() + " plotted points lie outside their axes:\n  " + String.join("\n  ", outside));
    }
  }

  /** every point of {@code view}'s charts outside its axes, each named with {@code when} and the view */
  static List<String> violations(InstrumentView view, String when) {
    List<String> outside = new ArrayList<>();
    for (Map.Entry<String, ChartPanel> e : view.getPanels().entrySet()) {
      check(e.getValue(), view.isShown(e.getKey()), outside);
    }
    return outside.stream().map(o -> view.getGroup().name() + " view " + when + ": " + o).toList();
  }

  /** checks the points of one chart into {@code outside}; returns how many it checked */
  static int check(ChartPanel panel, boolean shown, List<String> outside) {
    ChartDescriptor d = panel.getDescriptor();
    Chart chart = panel.getChart();
    IAxis xAxis = chart.getAxisSet().getXAxis(0);
    IAxis yAxis = chart.getAxisSet().getYAxis(0);
    Range xr = xAxis.getRange();
    Range yr = yAxis.getRange();
    Point size = chart.getPlotArea().getSize();
    boolean pixels = shown && size.x > 0 && size.y > 0;
    if (pixels) {
      // the axes map their ranges onto the plot as it is: upper x at its right edge, lower y at its bottom
      int width = xAxis.getPixelCoordinate(xr.upper);
      int height = yAxis.getPixelCoordinate(yr.lower);
      if (width != size.x || height != size.y) {
        outside.add(String.format(Locale.ROOT, "%s: the axes map onto a %dx%d plot, which is %dx%d", d.id(), width, height,
            size.x, size.y));
      }
    }
    if (panel instanceof HeatmapPanel heat) {
      HeatmapData data = heat.getData();
      for (double t : data.steps()) {
        if (!(t > xr.lower && t < xr.upper)) {
          outside.add(String.format(Locale.ROOT, "%s: the cells of step %s, x axis %s..%s", d.id(), t, xr.lower, xr.upper));
        }
      }
      for (double a : data.indices()) {
        if (!(a > yr.lower && a < yr.upper)) {
          outside.add(String.format(Locale.ROOT, "%s: the cells of index %s, y axis %s..%s", d.id(), a, yr.lower, yr.upper));
        }
      }
      return data.steps().length * data.indices().length;
    }
    boolean log = d.logY() || d.kind() == ChartKind.SPECTRUM;
    double maxY = Double.NEGATIVE_INFINITY;
    for (ISeries<?> s : chart.getSeriesSet().getSeries()) {
      for (double y : s.getYSeries()) {
        maxY = Math.max(maxY, y);
      }
    }
    // what the log axis leaves out: more than `decades` decades below the top decade
    double clip = log ? Math.ceil(maxY - LOG_EDGE) - d.decades() : Double.NEGATIVE_INFINITY;
    int checked = 0;
    for (ISeries<?> s : chart.getSeriesSet().getSeries()) {
      if (!s.isVisible()) {
        continue;
      }
      double[] x = s.getXSeries();
      double[] y = s.getYSeries();
      for (int i = 0; i < x.length; i++) {
        if (y[i] < clip) {
          continue;
        }
        checked++;
        String point = String.format(Locale.ROOT, "%s '%s' point %d (%s, %s)", d.id(), s.getId(), i, x[i], y[i]);
        if (!(x[i] > xr.lower && x[i] < xr.upper)) {
          outside.add(String.format(Locale.ROOT, "%s: x axis %s..%s", point, xr.lower, xr.upper));
        } else if (!(y[i] > yr.lower && y[i] < yr.upper)) {
          outside.add(String.format(Locale.ROOT, "%s: y axis %s..%s", point, yr.lower, yr.upper));
        } else if (pixels) {
          int px = xAxis.getPixelCoordinate(x[i]);
          int py = yAxis.getPixelCoordinate(y[i]);
          if (px < INSET_PIXELS || px > size.x - 1 - INSET_PIXELS || py < INSET_PIXELS || py > size.y - 1 - INSET_PIXELS) {
            outside.add(String.format(Locale.ROOT, "%s: at pixel (%d, %d) of a %dx%d plot, nearer than %d px to its edge",
                point, px, py, size.x, size.y, INSET_PIXELS));
          }
        }
      }
    }
    return checked;
  }
}
