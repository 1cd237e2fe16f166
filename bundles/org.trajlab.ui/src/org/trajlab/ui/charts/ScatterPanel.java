package org.trajlab.ui.charts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
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
import org.trajlab.api.chart.QuantityRef;
import org.trajlab.api.chart.ScatterData;
import org.trajlab.api.chart.SeriesDescriptor;
import org.trajlab.api.store.MetricRow;

/**
 * {@link ChartKind#SCATTER}: one quantity against another at the same step ({@link ScatterData}), one point per step,
 * as one SWTChart series (its id the series' label) whose symbols are coloured on the {@link Colormap} by the colour
 * quantity (or the step), with a {@link ColourScale} beside the chart titled with the series' label ("update t" when
 * the colour is the step). Points without a colour are dark blue. With {@code style="line"} the points are joined in
 * step order by a grey line: a trajectory. A log axis plots log10 of the positive values ({@link LogScale}); a point
 * with no place on it is left out. Several series are alternatives (colourings, say), picked in the Colour selector
 * by label. Hovering over a point shows "step t, x = …, y = …, colour = …".
 */
public class ScatterPanel extends ChartPanel {
  /** how near (in pixels) the pointer must be to a point for its tooltip */
  public static final int HOVER_PIXELS = 10;
  /** the colour of points that have no colour value */
  private static final int PLAIN = SWT.COLOR_DARK_BLUE;

  private final ColourScale scale;
  private SeriesDescriptor source;
  /** the points drawn: their steps and values (not log10), in plotted order */
  private ScatterData plotted = new ScatterData(new long[0], new double[0], new double[0], new double[0]);
  private double colourMin = Double.NaN;
  private double colourMax = Double.NaN;

  ScatterPanel(Composite parent, ChartDescriptor d) {
    super(parent, d);
    ((GridLayout) getLayout()).numColumns = 2;
    if (header() != null) {
      ((GridData) header().getLayoutData()).horizontalSpan = 2;
    }
    scale = new ColourScale(this);
    IPlotArea plot = chart.getBaseChart().getPlotArea();
    plot.getControl().addListener(SWT.MouseMove, e -> plot.setToolTipText(hoverText(e.x, e.y)));
  }

  @Override
  protected boolean legendVisible() {
    return false; // the axes and the colour scale say what is drawn
  }

  /** "Colour:" when the alternatives plot the same points and differ in their colouring only, else "Series:" */
  @Override
  protected String selectorLabel() {
    List<SeriesDescriptor> all = getDescriptor().series();
    SeriesDescriptor first = all.get(0);
    boolean sameAxes = all.stream().allMatch(s -> java.util.Objects.equals(s.probe(), first.probe())
        && java.util.Objects.equals(s.quantity(), first.quantity()) && java.util.Objects.equals(s.index(), first.index())
        && java.util.Objects.equals(s.scatterX(), first.scatterX()));
    return sameAxes ? "Colour:" : "Series:";
  }

  @Override
  protected String selectorItem(SeriesDescriptor s) {
    return s.label();
  }

  /** a series is offered when it has points, and colours for them when it is coloured by a quantity */
  @Override
  protected boolean hasRowsFor(SeriesDescriptor s, Collection<MetricRow> all) {
    ScatterData d = ScatterData.extract(s, all);
    return !d.isEmpty() && (s.colour() == null || d.coloured());
  }

  @Override
  protected void redraw(Collection<MetricRow> all) {
    source = source(all);
    ScatterData d = ScatterData.extract(source, all);
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < d.size(); i++) {
      if ((!descriptor.logX() || LogScale.drawable(d.x()[i])) && (!descriptor.logY() || LogScale.drawable(d.y()[i]))) {
        kept.add(i);
      }
    }
    int n = kept.size();
    long[] steps = new long[n];
    double[] x = new double[n];
    double[] y = new double[n];
    double[] c = new double[n];
    double[] px = new double[n];
    double[] py = new double[n];
    for (int k = 0; k < n; k++) {
      int i = kept.get(k);
      steps[k] = d.steps()[i];
      x[k] = d.x()[i];
      y[k] = d.y()[i];
      c[k] = d.colour()[i];
      px[k] = descriptor.logX() ? Math.log10(x[k]) : x[k];
      py[k] = descriptor.logY() ? Math.log10(y[k]) : y[k];
    }
    plotted = new ScatterData(steps, x, y, c);
    colourMin = plotted.colourMin();
    colourMax = plotted.colourMax();
    List<ILineSeriesData> data = new ArrayList<>();
    Color[] colors = new Color[n];
    for (int k = 0; k < n; k++) {
      colors[k] = Double.isFinite(c[k]) ? Colormap.color(c[k], colourMin, colourMax) : color(PLAIN);
    }
    if (n > 0) {
      LineSeriesData points = new LineSeriesData(new SeriesData(px, py, source.label()));
      ILineSeriesSettings s = points.getLineSeriesSettings();
      s.setDescription(source.label());
      s.setEnableArea(false);
      s.setSymbolType(PlotSymbolType.CIRCLE);
      s.setSymbolSize(4);
      s.setSymbolColor(color(PLAIN));
      if ("line".equals(source.style())) {
        s.setLineStyle(LineStyle.SOLID);
        s.setLineWidth(1);
        s.setLineColor(color(SWT.COLOR_GRAY));
      } else {
        s.setLineStyle(LineStyle.NONE);
      }
      data.add(points);
    }
    chart.deleteSeries();
    chart.addSeriesData(data, LineChart.NO_COMPRESSION);
    if (n > 0 && chart.getBaseChart().getSeriesSet().getSeries(source.label()) instanceof ILineSeries<?> line) {
      line.setSymbolColors(colors);
    }
    note(n == 0, source);
    QuantityRef colour = source.colour();
    boolean shown = n > 0 && colour != null && Double.isFinite(colourMin);
    scale.show(colour != null && colour.isStep() ? "update t" : source.label(), shown ? colourMin : Double.NaN,
        colourMax, colour != null && colour.isStep());
  }

  @Override
  public boolean hasData() {
    return !plotted.isEmpty();
  }

  /** the series drawn (the one chosen in the Colour selector) */
  public SeriesDescriptor getSource() {
    return source;
  }

  /** the points drawn: steps, x, y (values, not log10) and colour values, in plotted order */
  public ScatterData getPlotted() {
    return plotted;
  }

  /** the colour scale beside the chart */
  public ColourScale getScale() {
    return scale;
  }

  /** the colour point {@code i} is drawn with */
  public Color pointColor(int i) {
    double c = plotted.colour()[i];
    return Double.isFinite(c) ? Colormap.color(c, colourMin, colourMax) : color(PLAIN);
  }

  /**
   * the tooltip for the pointer at ({@code x}, {@code y}) in the plot area: the nearest point within
   * {@value #HOVER_PIXELS} pixels, or null
   */
  public String hoverText(int x, int y) {
    ISeries<?> series = source == null ? null : chart.getBaseChart().getSeriesSet().getSeries(source.label());
    if (series == null) {
      return null;
    }
    int best = -1;
    long bestDistance = (long) HOVER_PIXELS * HOVER_PIXELS;
    for (int i = 0; i < plotted.size(); i++) {
      Point p = series.getPixelCoordinates(i);
      long d = (long) (p.x - x) * (p.x - x) + (long) (p.y - y) * (p.y - y);
      if (d <= bestDistance) {
        bestDistance = d;
        best = i;
      }
    }
    return best < 0 ? null : describe(best);
  }

  /** "step t, k_lambda_max = …, hessian_eig[1] = …, update t = …" for point {@code i} */
  public String describe(int i) {
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "step %d, %s = %.6g, %s = %.6g", plotted.steps()[i],
        name(source.scatterX()), plotted.x()[i], name(source.y()), plotted.y()[i]));
    QuantityRef c = source.colour();
    if (c != null && !c.isStep()) {
      s.append(String.format(Locale.ROOT, ", %s = %.6g", name(c), plotted.colour()[i]));
    }
    return s.toString();
  }

  private static String name(QuantityRef r) {
    return r.quantity() + (r.index() == null ? "" : "[" + LogScale.plain(r.index()) + "]");
  }

  @Override
  protected ColourScale colourScale() {
    return scale;
  }
}
