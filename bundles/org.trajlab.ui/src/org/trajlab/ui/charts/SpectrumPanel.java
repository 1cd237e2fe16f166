package org.trajlab.ui.charts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swtchart.ILineSeries;
import org.eclipse.swtchart.ILineSeries.PlotSymbolType;
import org.eclipse.swtchart.IPlotArea;
import org.eclipse.swtchart.ISeries;
import org.eclipse.swtchart.LineStyle;
import org.eclipse.swtchart.extensions.core.SeriesData;
import org.eclipse.swtchart.extensions.linecharts.ILineSeriesData;
import org.eclipse.swtchart.extensions.linecharts.ILineSeriesSettings;
import org.eclipse.swtchart.extensions.linecharts.LineChart;
import org.eclipse.swtchart.extensions.linecharts.LineSeriesData;
import org.trajlab.api.chart.ChartDescriptor;
import org.trajlab.api.chart.ChartKind;
import org.trajlab.api.chart.SeriesDescriptor;
import org.trajlab.api.chart.SpectrumData;
import org.trajlab.api.store.MetricRow;

/**
 * {@link ChartKind#SPECTRUM}: the top-K eigenvalues λ_i over the steps, one SWTChart series per rank i (id
 * {@code label_i}, e.g. λ_3), plotting log10 |λ_i| (see {@link LogScale}) with the symbol of every negative λ_i in
 * red; λ_i = 0 and non-finite values have no place on a log axis and are left out. Hovering over a point shows
 * "step t, λ_i = … (signed), residual …, converged yes/no" as the plot's tooltip. Of several sources (probes), the
 * one chosen in the Probe selector is drawn.
 */
public class SpectrumPanel extends ChartPanel {
  /** how near (in pixels) the pointer must be to a point for its tooltip */
  public static final int HOVER_PIXELS = 10;
  /** rank colours; red is kept for the negative values */
  private static final int[] RANK_COLORS = { SWT.COLOR_DARK_BLUE, SWT.COLOR_DARK_GREEN, SWT.COLOR_DARK_MAGENTA,
      SWT.COLOR_DARK_CYAN, SWT.COLOR_DARK_YELLOW, SWT.COLOR_BLACK, SWT.COLOR_BLUE, SWT.COLOR_DARK_GRAY };
  private static final int NEGATIVE = SWT.COLOR_RED;

  private SeriesDescriptor source;
  /** series id -> the points it plots, in point order */
  private final Map<String, List<SpectrumData.Point>> plotted = new LinkedHashMap<>();

  SpectrumPanel(Composite parent, ChartDescriptor d) {
    super(parent, d);
    IPlotArea plot = chart.getBaseChart().getPlotArea();
    plot.getControl().addListener(SWT.MouseMove, e -> plot.setToolTipText(hoverText(e.x, e.y)));
  }

  @Override
  protected void redraw(Collection<MetricRow> all) {
    source = source(all);
    plotted.clear();
    List<ILineSeriesData> data = new ArrayList<>();
    Map<String, Color[]> symbolColors = new LinkedHashMap<>();
    for (Map.Entry<Integer, List<SpectrumData.Point>> rank : SpectrumData.extract(source, all).byRank().entrySet()) {
      List<SpectrumData.Point> points = rank.getValue().stream().filter(p -> LogScale.drawable(Math.abs(p.value())))
          .toList();
      if (points.isEmpty()) {
        continue;
      }
      String id = seriesId(rank.getKey());
      Color color = color(RANK_COLORS[Math.floorMod(rank.getKey() - 1, RANK_COLORS.length)]);
      double[] x = new double[points.size()];
      double[] y = new double[points.size()];
      Color[] colors = new Color[points.size()];
      for (int i = 0; i < x.length; i++) {
        double v = points.get(i).value();
        x[i] = points.get(i).step();
        y[i] = Math.log10(Math.abs(v));
        colors[i] = v < 0 ? color(NEGATIVE) : color;
      }
      LineSeriesData line = new LineSeriesData(new SeriesData(x, y, id));
      ILineSeriesSettings s = line.getLineSeriesSettings();
      s.setDescription(id);
      s.setEnableArea(false);
      s.setLineColor(color);
      s.setSymbolColor(color);
      s.setLineStyle(LineStyle.SOLID);
      s.setLineWidth(1);
      s.setSymbolType(PlotSymbolType.CIRCLE);
      s.setSymbolSize(3);
      data.add(line);
      plotted.put(id, points);
      symbolColors.put(id, colors);
    }
    chart.deleteSeries();
    chart.addSeriesData(data, LineChart.NO_COMPRESSION);
    symbolColors.forEach((id, colors) -> {
      if (chart.getBaseChart().getSeriesSet().getSeries(id) instanceof ILineSeries<?> line) {
        line.setSymbolColors(colors);
      }
    });
    note(data.isEmpty(), source);
  }

  /** the SWTChart series id of rank {@code i}: the series' label, an underscore and i (λ_3) */
  public String seriesId(int rank) {
    return (source == null ? descriptor.series().get(0) : source).label() + "_" + rank;
  }

  @Override
  public boolean hasData() {
    return !plotted.isEmpty();
  }

  /** the probe whose rows are drawn */
  public String getSource() {
    return source == null ? null : source.probe();
  }

  /**
   * the tooltip for the pointer at ({@code x}, {@code y}) in the plot area: the nearest point within
   * {@value #HOVER_PIXELS} pixels, or null
   */
  public String hoverText(int x, int y) {
    SpectrumData.Point best = null;
    long bestDistance = (long) HOVER_PIXELS * HOVER_PIXELS;
    for (Map.Entry<String, List<SpectrumData.Point>> e : plotted.entrySet()) {
      ISeries<?> series = chart.getBaseChart().getSeriesSet().getSeries(e.getKey());
      if (series == null || !series.isVisible()) {
        continue;
      }
      for (int i = 0; i < e.getValue().size(); i++) {
        Point p = series.getPixelCoordinates(i);
        long d = (long) (p.x - x) * (p.x - x) + (long) (p.y - y) * (p.y - y);
        if (d <= bestDistance) {
          bestDistance = d;
          best = e.getValue().get(i);
        }
      }
    }
    return best == null ? null : describe(source.label(), best);
  }

  /** "step t, λ_i = …, residual …, converged yes/no" ({@code label} names the value, e.g. λ) */
  public static String describe(String label, SpectrumData.Point p) {
    return String.format(Locale.ROOT, "step %d, %s_%d = %s%s, residual %s, converged %s", p.step(), label, p.rank(),
        number(p.value()), p.value() < 0 ? " (negative; |" + label + "| plotted)" : "",
        Double.isNaN(p.residual()) ? "not written" : number(p.residual()),
        p.converged() == null ? "unknown" : p.converged() ? "yes" : "no");
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }
}
