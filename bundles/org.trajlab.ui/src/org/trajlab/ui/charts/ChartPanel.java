package org.trajlab.ui.charts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swtchart.Chart;
import org.eclipse.swtchart.IAxis;
import org.eclipse.swtchart.ICustomPaintListener;
import org.eclipse.swtchart.ISeries;
import org.eclipse.swtchart.Range;
import org.eclipse.swtchart.extensions.core.IChartSettings;
import org.eclipse.swtchart.extensions.linecharts.LineChart;
import org.eclipse.swtchart.extensions.menu.IChartMenuEntry;
import org.trajlab.api.chart.ChartDescriptor;
import org.trajlab.api.chart.SeriesDescriptor;
import org.trajlab.api.store.MetricRow;

/**
 * One declared chart, drawn from the rows of the shown run: an SWTChart line chart (zoom and menus from the
 * extensions library) under an optional row of controls (the Probe selector of charts with several sources, the
 * step selector of a density). {@link #create} picks the renderer of the chart's kind. A chart with nothing to draw
 * says so on its plot area (the chart's hint, or which probe and quantity it draws).
 */
public abstract class ChartPanel extends Composite {
  /**
   * the smallest height a chart is laid out with: its plot area then keeps at least 150 px after the title, the x
   * axis and a legend of up to two rows
   */
  public static final int MIN_CHART_HEIGHT = 300;
  /** series colours; red is kept for what a chart marks (a spectrum's negative values, a walk's valley floor) */
  protected static final int[] PALETTE = { SWT.COLOR_DARK_BLUE, SWT.COLOR_RED, SWT.COLOR_DARK_GREEN,
      SWT.COLOR_DARK_MAGENTA, SWT.COLOR_DARK_CYAN, SWT.COLOR_DARK_YELLOW, SWT.COLOR_BLACK };

  protected final ChartDescriptor descriptor;
  protected final LineChart chart;
  private Composite header;
  private Combo sourceCombo;
  /** the probe chosen in the Probe selector, or null for the first source with rows */
  private String chosenSource;
  private String note;
  /** the rows last given to {@link #update}, redrawn when a selector changes */
  private Collection<MetricRow> rows = List.of();

  protected ChartPanel(Composite parent, ChartDescriptor descriptor) {
    super(parent, SWT.NONE);
    this.descriptor = descriptor;
    GridLayout layout = new GridLayout(1, false);
    layout.marginWidth = 0;
    layout.marginHeight = 0;
    layout.verticalSpacing = 2;
    setLayout(layout);
    if (descriptor.series().size() > 1 && selectsSource()) {
      Combo c = combo(selectorLabel());
      c.addListener(SWT.Selection, e -> {
        int i = c.getSelectionIndex();
        if (i >= 0 && !c.getItem(i).equals(chosenSource)) {
          chosenSource = c.getItem(i);
          sourceChanged();
          draw();
        }
      });
      sourceCombo = c;
    }
    chart = newChart(this);
    chart.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    chart.getBaseChart().getPlotArea().addCustomPaintListener(new ICustomPaintListener() {
      @Override
      public void paintControl(org.eclipse.swt.events.PaintEvent e) {
        paintNote(e.gc);
      }

      @Override
      public boolean drawBehindSeries() {
        return false;
      }
    });
    Control plot = chart.getBaseChart().getPlotArea().getControl();
    plot.addListener(SWT.Resize, e -> getDisplay().asyncExec(this::plotResized));
    chart.getBaseChart().addPaintListener(e -> paintLabelsBetweenDecades(e.gc));
    if (descriptor.hasHline()) {
      chart.getBaseChart().getPlotArea().addCustomPaintListener(new ICustomPaintListener() {
        @Override
        public void paintControl(org.eclipse.swt.events.PaintEvent e) {
          paintReferenceLine(e.gc);
        }

        @Override
        public boolean drawBehindSeries() {
          return true; // the points stay readable where they touch the line
        }
      });
    }
  }

  /** the renderer of {@code d}'s kind */
  public static ChartPanel create(Composite parent, ChartDescriptor d) {
    return switch (d.kind()) {
      case LINES -> new LinesPanel(parent, d);
      case SPECTRUM -> new SpectrumPanel(parent, d);
      case DENSITY -> new DensityPanel(parent, d);
      case HEATMAP -> new HeatmapPanel(parent, d);
      case SCATTER -> new ScatterPanel(parent, d);
    };
  }

  /** whether several series of this kind are alternative sources, one drawn at a time */
  protected boolean selectsSource() {
    return true;
  }

  /** the label of the selector of alternative series ("Probe:": they are sources of one quantity) */
  protected String selectorLabel() {
    return "Probe:";
  }

  /** how the selector names a series: its probe (the kinds whose series are sources of one quantity) */
  protected String selectorItem(SeriesDescriptor s) {
    return s.probe();
  }

  /** whether {@code all} has anything of {@code s} to draw (the selector offers only such series) */
  protected boolean hasRowsFor(SeriesDescriptor s, Collection<MetricRow> all) {
    return hasRows(s, all);
  }

  /** draws {@code all}, the rows of the shown run so far (rows of other charts included) */
  public final void update(Collection<MetricRow> all) {
    this.rows = all;
    draw();
  }

  /**
   * draws the rows last given, then fits the axes to what is plotted (after every redraw, so none can miss it) —
   * unless the person zoomed or panned since the last fit (SWTChart's mouse wheel zoom, drag to zoom, Ctrl/Alt +
   * wheel to pan): then new rows keep the axes where they were put, until {@link #fitToData} (the context menu's
   * {@value #FIT} or a new run shown)
   */
  private void draw() {
    Range keepX = xAxis().getRange();
    Range keepY = yAxis().getRange();
    boolean zoomed = isZoomed();
    redraw(rows);
    if (zoomed) {
      xAxis().setRange(keepX);
      yAxis().setRange(keepY);
    } else {
      fitAxes();
    }
    chart.redraw();
  }

  /** the context menu's entry that fits the axes to the data again after a zoom */
  public static final String FIT = "Fit axes to the data";
  /** the ranges {@link #fitAxes} last gave the axes (as the axes hold them), null before the first fit */
  private Range fittedX;
  private Range fittedY;

  /** whether the axes were moved (zoomed or panned) since {@link #fitAxes} last set them */
  public boolean isZoomed() {
    return fittedX != null && (!same(fittedX, xAxis().getRange()) || !same(fittedY, yAxis().getRange()));
  }

  /** fits the axes to what is plotted, forgetting a zoom */
  public void fitToData() {
    forgetZoom();
    fitAxes();
    chart.redraw();
  }

  /** the next rows drawn fit the axes again (another run is shown) */
  public void forgetZoom() {
    fittedX = null;
    fittedY = null;
  }

  private static boolean same(Range a, Range b) {
    return a.lower == b.lower && a.upper == b.upper;
  }

  /** sets the chart's series (or whatever it draws) for {@code all}; {@link #fitAxes} then sets the axes */
  protected abstract void redraw(Collection<MetricRow> all);

  /** called when another source is chosen in the Probe selector, before the chart is redrawn */
  protected void sourceChanged() {}

  /** the rows last given to {@link #update} */
  protected final Collection<MetricRow> rows() {
    return rows;
  }

  /** the row of controls above the chart, or null when the chart has none */
  protected final Composite header() {
    return header;
  }

  /** whether the rows last drawn have anything for this chart */
  public abstract boolean hasData();

  public ChartDescriptor getDescriptor() {
    return descriptor;
  }

  public Chart getChart() {
    return chart.getBaseChart();
  }

  /** the Probe selector, or null when the chart has a single source */
  public Combo getSourceCombo() {
    return sourceCombo;
  }

  /** what the plot area says instead of data, or null when it has data */
  public String getNote() {
    return note;
  }

  /** the height this chart needs to be legible */
  public int minimumHeight() {
    return MIN_CHART_HEIGHT + (header == null ? 0 : header.computeSize(SWT.DEFAULT, SWT.DEFAULT).y + 2);
  }

  /** a labelled read-only combo in the controls row above the chart */
  protected final Combo combo(String label) {
    if (header == null) {
      header = new Composite(this, SWT.NONE);
      header.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
      GridLayout l = new GridLayout(0, false);
      l.marginHeight = 0;
      header.setLayout(l);
      if (chart != null) {
        header.moveAbove(chart);
      }
    }
    ((GridLayout) header.getLayout()).numColumns += 2;
    new Label(header, SWT.NONE).setText(label);
    Combo c = new Combo(header, SWT.READ_ONLY);
    c.setLayoutData(new GridData(150, SWT.DEFAULT));
    return c;
  }

  /**
   * the series drawn: the one chosen in the Probe selector if it has rows, else the first declared one with rows,
   * else the first declared; refreshes the selector's items (the sources with rows)
   */
  protected final SeriesDescriptor source(Collection<MetricRow> all) {
    List<SeriesDescriptor> withRows = new ArrayList<>();
    for (SeriesDescriptor s : descriptor.series()) {
      if (hasRowsFor(s, all)) {
        withRows.add(s);
      }
    }
    SeriesDescriptor drawn = withRows.stream().filter(s -> selectorItem(s).equals(chosenSource)).findFirst()
        .orElse(withRows.isEmpty() ? descriptor.series().get(0) : withRows.get(0));
    if (sourceCombo != null) {
      String[] items = withRows.stream().map(this::selectorItem).toArray(String[]::new);
      if (!List.of(sourceCombo.getItems()).equals(List.of(items))) {
        sourceCombo.setItems(items);
      }
      int i = withRows.indexOf(drawn);
      if (i >= 0) {
        sourceCombo.select(i);
      }
    }
    return drawn;
  }

  /** whether {@code all} has a row of {@code s}'s probe and quantity */
  protected static boolean hasRows(SeriesDescriptor s, Collection<MetricRow> all) {
    for (MetricRow r : all) {
      if (r.probe().equals(s.probe()) && r.quantity().equals(s.quantity())) {
        return true;
      }
    }
    return false;
  }

  /**
   * says on the plot area that the chart has nothing to draw when {@code empty}: its hint, or that the run has no
   * rows of {@code series}; an empty chart shows no ticks or grid (which would be another run's, or made up)
   */
  protected final void note(boolean empty, SeriesDescriptor... series) {
    for (IAxis axis : new IAxis[] { xAxis(), yAxis() }) {
      if (axis.getTick().isVisible() == empty) {
        axis.getTick().setVisible(!empty);
        axis.getGrid().setVisible(!empty);
      }
    }
    String n = !empty ? null : descriptor.hint() != null ? descriptor.hint() : noRows(series);
    if (n == null ? note != null : !n.equals(note)) {
      note = n;
      chart.getBaseChart().getPlotArea().getControl().redraw();
    }
  }

  /** "No loss_interp rows of the walk probe in this run." (several: "No a, b rows of ...") */
  private static String noRows(SeriesDescriptor... series) {
    Set<String> quantities = new LinkedHashSet<>();
    Set<String> probes = new LinkedHashSet<>();
    for (SeriesDescriptor s : series) {
      quantities.add(s.quantity());
      probes.add(s.probe());
    }
    return String.format(Locale.ROOT, "No %s rows of the %s probe%s in this run.", String.join(", ", quantities),
        String.join(", ", probes), probes.size() > 1 ? "s" : "");
  }

  private void paintNote(GC gc) {
    if (note == null) {
      return;
    }
    Point size = chart.getBaseChart().getPlotArea().getSize();
    List<String> lines = wrap(gc, note, Math.max(80, size.x - 40));
    int h = gc.getFontMetrics().getHeight();
    int y = (size.y - lines.size() * h) / 2;
    gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_DARK_GRAY));
    for (String line : lines) {
      gc.drawText(line, (size.x - gc.textExtent(line).x) / 2, y, true);
      y += h;
    }
  }

  private static List<String> wrap(GC gc, String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      String tried = line.isEmpty() ? word : line + " " + word;
      if (!line.isEmpty() && gc.textExtent(tried).x > width) {
        lines.add(line.toString());
        line = new StringBuilder(word);
      } else {
        line = new StringBuilder(tried);
      }
    }
    if (!line.isEmpty()) {
      lines.add(line.toString());
    }
    return lines;
  }

  /** an SWTChart line chart with the descriptor's title and axis titles */
  private LineChart newChart(Composite parent) {
    LineChart c = new LineChart(parent, SWT.NONE);
    IChartSettings settings = c.getChartSettings();
    settings.setTitle(descriptor.title());
    settings.setTitleVisible(true);
    settings.setLegendVisible(legendVisible());
    settings.setLegendPosition(SWT.BOTTOM);
    settings.setLegendExtendedVisible(false);
    settings.getPrimaryAxisSettingsX().setTitle(descriptor.xLabel() == null ? "update t" : descriptor.xLabel());
    settings.getPrimaryAxisSettingsY().setTitle(descriptor.yLabel() == null ? "" : descriptor.yLabel());
    settings.getRangeRestriction().setZeroX(false); // the default clips negative values (cosines, λ grids) away
    settings.getRangeRestriction().setZeroY(false);
    settings.setHorizontalSliderVisible(false);
    settings.setVerticalSliderVisible(false);
    for (IChartMenuEntry e : ChartExport.menuEntries(this)) {
      settings.addMenuEntry(e); // PNG, SVG and CSV in the chart's context menu
    }
    settings.addMenuEntry(new IChartMenuEntry() {
      @Override
      public String getCategory() {
        return "";
      }

      @Override
      public String getName() {
        return FIT;
      }

      @Override
      public void execute(org.eclipse.swt.widgets.Shell shell, org.eclipse.swtchart.extensions.core.ScrollableChart c) {
        fitToData();
      }
    });
    c.applySettings(settings);
    return c;
  }

  /**
   * the chart's data for export as CSV: a header row, then one row per plotted point of every visible series
   * ({@code series,x,y}; on a log axis the value, 10^plotted, not its log10)
   */
  public List<List<String>> exportTable() {
    List<List<String>> table = new ArrayList<>();
    table.add(List.of("series", "x", "y"));
    for (ISeries<?> s : chart.getBaseChart().getSeriesSet().getSeries()) {
      if (!s.isVisible()) {
        continue;
      }
      double[] x = s.getXSeries();
      double[] y = s.getYSeries();
      for (int i = 0; i < x.length; i++) {
        double xv = descriptor.logX() ? Math.pow(10, x[i]) : x[i];
        double yv = descriptor.logY() ? Math.pow(10, y[i]) : y[i];
        table.add(List.of(s.getId(), Double.toString(xv), Double.toString(yv)));
      }
    }
    return table;
  }

  /** how near (in pixels) the pointer must be to a plotted point for its tooltip */
  public static final int POINT_HOVER_PIXELS = 10;

  /**
   * shows {@link #pointText} as the plot's tooltip while the pointer moves (lines and density charts; the other kinds
   * describe their own points)
   */
  protected void hoverShowsPoints() {
    var plot = chart.getBaseChart().getPlotArea();
    plot.getControl().addListener(SWT.MouseMove, e -> plot.setToolTipText(pointText(e.x, e.y)));
  }

  /**
   * the plotted point nearest to ({@code x}, {@code y}) in the plot area within {@value #POINT_HOVER_PIXELS} pixels,
   * as "series: x-label = x, y-label = y" with the exact values (not their log10 on a log axis), or null
   */
  public String pointText(int x, int y) {
    ISeries<?> best = null;
    int bestIndex = -1;
    long bestDistance = (long) POINT_HOVER_PIXELS * POINT_HOVER_PIXELS;
    for (ISeries<?> s : chart.getBaseChart().getSeriesSet().getSeries()) {
      if (!s.isVisible()) {
        continue;
      }
      int n = s.getXSeries().length;
      for (int i = 0; i < n; i++) {
        Point p = s.getPixelCoordinates(i);
        long d = (long) (p.x - x) * (p.x - x) + (long) (p.y - y) * (p.y - y);
        if (d <= bestDistance) {
          bestDistance = d;
          best = s;
          bestIndex = i;
        }
      }
    }
    if (best == null) {
      return null;
    }
    double xv = best.getXSeries()[bestIndex];
    double yv = best.getYSeries()[bestIndex];
    return String.format(Locale.ROOT, "%s: %s = %s, %s = %s", best.getId(), orElse(descriptor.xLabel(), "x"),
        exact(descriptor.logX() ? Math.pow(10, xv) : xv), orElse(descriptor.yLabel(), "y"),
        exact(descriptor.logY() ? Math.pow(10, yv) : yv));
  }

  private static String orElse(String label, String otherwise) {
    return label == null || label.isBlank() ? otherwise : label;
  }

  /** a value as metrics.csv has it: Java's shortest exact decimal (whole numbers without ".0") */
  static String exact(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /** what the chart paints itself (a heat map's cells) as SVG, the plot area's top left at ({@code ox}, {@code oy}) */
  protected void exportShapes(ChartExport.Svg svg, int ox, int oy) {}

  /** the names of the entries of the chart's context menu that trajlab adds (the exports) and SWTChart's own */
  public List<String> menuEntryNames() {
    return chart.getChartSettings().getMenuEntries().stream().map(IChartMenuEntry::getName).toList();
  }

  /** the colour scale beside the chart, or null */
  protected ColourScale colourScale() {
    return null;
  }

  /** the colour scale as SVG at ({@code x}, {@code y}), {@code height} high, when the chart has one */
  final void exportScale(ChartExport.Svg svg, int x, int y, int height) {
    ColourScale s = colourScale();
    if (s == null) {
      return;
    }
    svg.text(x, y + 12, s.getTitle(), "start", 11, null, "#000000");
    if (Double.isNaN(s.min()) || Double.isNaN(s.max())) {
      return;
    }
    int top = y + 24;
    int bottom = y + height - 8;
    int steps = 64;
    for (int k = 0; k < steps; k++) {
      double v = s.max() - (s.max() - s.min()) * (k + 0.5) / steps;
      double y0 = top + (bottom - top) * (double) k / steps;
      svg.rect(x, y0, 14, (bottom - top) / (double) steps + 0.5, ChartExport.hex(Colormap.rgb(v, s.min(), s.max())), null);
    }
    svg.rect(x, top, 14, bottom - top, null, "#606060");
    svg.text(x + 18, top + 4, s.label(s.max()), "start", 11, null, "#000000");
    svg.text(x + 18, (top + bottom) / 2.0 + 4, s.label((s.min() + s.max()) / 2), "start", 11, null, "#000000");
    svg.text(x + 18, bottom + 4, s.label(s.min()), "start", 11, null, "#000000");
  }

  /** whether the chart shows SWTChart's legend of its series */
  protected boolean legendVisible() {
    return true;
  }

  protected final Color color(int swtColor) {
    return getDisplay().getSystemColor(swtColor);
  }

  protected final IAxis xAxis() {
    return chart.getBaseChart().getAxisSet().getXAxis(0);
  }

  protected final IAxis yAxis() {
    return chart.getBaseChart().getAxisSet().getYAxis(0);
  }

  /**
   * puts both axes around every point of the chart's series with finite coordinates ({@link AxisRanges}: a margin
   * on a linear axis, whole decades and a margin on a log one, whose series plot log10 values). A chart without
   * series keeps its axes (a heat map places its own, an empty chart hides them).
   * <p>
   * SWTChart fits the axes itself when series are added (LineChart.addSeriesData calls adjustRange), but its
   * extensions then clamp the fit to the values' exact minimum and maximum (AbstractExtendedChart.adjustMinMaxRange:
   * RangeRestriction extends by 0), dropping the core's margin of a few pixels: extreme points sat on the axis
   * lines, cut in half, and a line along the minimum (k_min at its floor) vanished into the axis. Its core fit also
   * needs the plot's size, which a chart drawn before it is laid out (the view's first rows) does not have yet.
   */
  private void fitAxes() {
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (ISeries<?> s : chart.getBaseChart().getSeriesSet().getSeries()) {
      double[] x = s.getXSeries();
      double[] y = s.getYSeries();
      for (int i = 0; i < x.length; i++) {
        if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
          minX = Math.min(minX, x[i]);
          maxX = Math.max(maxX, x[i]);
          minY = Math.min(minY, y[i]);
          maxY = Math.max(maxY, y[i]);
        }
      }
    }
    if (minX > maxX) {
      forgetZoom(); // nothing plotted: the first rows fit the axes
      return;
    }
    if (descriptor.hasHline()) {
      double h = plottedHline();
      minY = Math.min(minY, h);
      maxY = Math.max(maxY, h);
    }
    if (descriptor.logX()) {
      LogScale.apply(xAxis(), AxisRanges.log(minX, maxX, descriptor.decades()), plotWidth());
    } else {
      xAxis().setRange(AxisRanges.linear(minX, maxX));
    }
    if (descriptor.logY()) {
      LogScale.apply(yAxis(), AxisRanges.log(minY, maxY, descriptor.decades()), plotHeight());
    } else {
      yAxis().setRange(AxisRanges.linear(minY, maxY));
    }
    fittedX = xAxis().getRange();
    fittedY = yAxis().getRange();
  }

  /**
   * the labels a log y axis shows between its decades (2, 5, 20, 50 ...; see {@link LogScale#between}), bottom to
   * top; empty on a linear axis, an empty chart, or decades too close for them
   */
  public List<String> labelsBetweenDecades() {
    return betweenDecades().stream().map(Tick::text).toList();
  }

  /** a label between decades and the log10 value it stands at */
  private record Tick(double log10, String text) {}

  private List<Tick> betweenDecades() {
    List<Tick> ticks = new ArrayList<>();
    if (!descriptor.logY() || note != null || !yAxis().getTick().isVisible()) {
      return ticks;
    }
    Range r = yAxis().getRange();
    GC gc = new GC(chart.getBaseChart());
    int textHeight;
    try {
      gc.setFont(yAxis().getTick().getFont());
      textHeight = gc.getFontMetrics().getHeight();
    } finally {
      gc.dispose();
    }
    int[] between = LogScale.between(plotHeight() / (r.upper - r.lower), textHeight);
    // between the labelled decades only, not in the margin beyond the outer ones
    for (int k = (int) Math.ceil(r.lower); k < Math.floor(r.upper); k++) {
      for (int m : between) {
        double v = k + Math.log10(m);
        if (v > r.lower && v < r.upper) {
          ticks.add(new Tick(v, LogScale.label(m, k)));
        }
      }
    }
    return ticks;
  }

  private void paintLabelsBetweenDecades(GC gc) {
    List<Tick> ticks = betweenDecades();
    if (ticks.isEmpty()) {
      return;
    }
    Rectangle plot = chart.getBaseChart().getPlotArea().getControl().getBounds();
    Rectangle area = yAxis().getTick().getBounds();
    gc.setFont(yAxis().getTick().getFont());
    gc.setForeground(yAxis().getTick().getForeground());
    int textHeight = gc.getFontMetrics().getHeight();
    for (Tick t : ticks) {
      int y = plot.y + yAxis().getPixelCoordinate(t.log10());
      if (gc.textExtent(t.text()).x <= area.width - 8) {
        gc.drawText(t.text(), area.x + 5, y - textHeight / 2, true); // left-aligned like SWTChart's own labels
      }
      gc.drawLine(plot.x - 4, y, plot.x - 1, y);
    }
  }

  private int plotHeight() {
    return chart.getBaseChart().getPlotArea().getSize().y;
  }

  private int plotWidth() {
    return chart.getBaseChart().getPlotArea().getSize().x;
  }

  /** the reference line's y as plotted: log10 of it on a log axis */
  private double plottedHline() {
    return descriptor.logY() ? Math.log10(descriptor.hline()) : descriptor.hline();
  }

  /** the colour of the reference line */
  public static final int HLINE_COLOR = SWT.COLOR_DARK_RED;

  /**
   * the pixel row of the reference line in the plot area (its y as the y axis maps it now), or -1 when the chart
   * declares none or draws nothing
   */
  public int referenceLineY() {
    if (!descriptor.hasHline() || note != null || !yAxis().getTick().isVisible()) {
      return -1;
    }
    return yAxis().getPixelCoordinate(plottedHline());
  }

  /** the reference line: dashed, across the plot, labelled with its value at the right end */
  private void paintReferenceLine(GC gc) {
    int y = referenceLineY();
    Point size = chart.getBaseChart().getPlotArea().getSize();
    if (y < 0 || y >= size.y) {
      return;
    }
    gc.setForeground(color(HLINE_COLOR));
    gc.setLineStyle(SWT.LINE_DASH);
    gc.setLineWidth(1);
    gc.drawLine(0, y, size.x - 1, y);
    gc.setLineStyle(SWT.LINE_SOLID);
    String label = "y = " + LogScale.plain(descriptor.hline());
    Point extent = gc.textExtent(label);
    int ty = y - extent.y - 1 >= 0 ? y - extent.y - 1 : y + 2;
    gc.drawText(label, size.x - extent.x - 4, ty, true);
  }

  /**
   * after the plot area changed size: the axes map onto the new size, and a log axis's decades keep their labels
   * (see {@link LogScale#hint})
   */
  private void plotResized() {
    if (isDisposed()) {
      return;
    }
    boolean changed = false;
    if (!axesFitPlot()) {
      chart.getBaseChart().updateLayout();
      changed = true;
    }
    if (descriptor.logY() && LogScale.hint(yAxis(), plotHeight())) {
      changed = true;
    }
    if (descriptor.logX() && LogScale.hint(xAxis(), plotWidth())) {
      changed = true;
    }
    if (changed) {
      chart.redraw();
    }
  }

  /**
   * whether the axes map values onto the plot area as it is now. SWTChart's axes keep the plot's size from their
   * chart's last layout (Axis.refresh at the end of Chart.updateLayout), and a chart lays itself out when it is
   * resized or its range changes, not when only its plot area is: a chart drawn while its window defers layouts
   * (the workbench does, e.g. in WorkbenchWindow.updateActionBars) got its plot size afterwards and drew points
   * past the plot's edges, e.g. below the bottom of a plot that had shrunk when its tick labels appeared.
   */
  private boolean axesFitPlot() {
    Point size = chart.getBaseChart().getPlotArea().getSize();
    return xAxis().getPixelCoordinate(xAxis().getRange().upper) == size.x
        && yAxis().getPixelCoordinate(yAxis().getRange().lower) == size.y;
  }
}
