package org.trajlab.ui.curvature;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swtchart.Chart;
import org.eclipse.swtchart.IAxis;
import org.eclipse.swtchart.ILineSeries;
import org.eclipse.swtchart.ILineSeries.PlotSymbolType;
import org.eclipse.swtchart.ISeries;
import org.eclipse.swtchart.LineStyle;
import org.eclipse.swtchart.Range;
import org.eclipse.swtchart.extensions.core.IChartSettings;
import org.eclipse.swtchart.extensions.core.SeriesData;
import org.eclipse.swtchart.extensions.linecharts.ILineSeriesData;
import org.eclipse.swtchart.extensions.linecharts.ILineSeriesSettings;
import org.eclipse.swtchart.extensions.linecharts.LineChart;
import org.eclipse.swtchart.extensions.linecharts.LineSeriesData;
import org.trajlab.api.store.MetricRow;
import org.trajlab.ui.InstrumentView;
import org.trajlab.ui.RunFollowingView;

/**
 * The Spectrum view (paper 001, INSTRUMENTS.md §2/§6) of the run selected in the Runs view: the top-K Hessian
 * eigenvalues λ_i over the updates, one series per rank i, on a log y axis, and the spectral density φ(λ) at one
 * chosen step, also on a log y axis. The rows are those of {@link Spectrum}, of one probe at a time (a combo picks
 * it when several probes write them).
 * <p>
 * Log axes and signs: the eigenvalue chart plots |λ_i| (the axis title says so) and draws the symbol of every
 * negative λ_i in red; the hover text gives the signed value. λ_i = 0 and density values φ ≤ 0 (or non-finite
 * values) have no place on a log axis and are left out of the charts.
 * <p>
 * Hovering over a point of the eigenvalue chart shows "step t, λ_i = …, residual …, converged yes/no" as the
 * tooltip. The density step combo lists the steps with density rows; until one is chosen (and again when the
 * latest is chosen) it follows the latest step as the run writes new ones. Like {@link InstrumentView}, the view
 * reads the rows a run appends every {@value RunFollowingView#POLL_MILLIS} ms until the run is final.
 */
public class SpectrumView extends RunFollowingView {
  public static final String ID = "org.trajlab.ui.curvature.spectrumView";
  /** how near (in pixels) the pointer must be to a point for its tooltip */
  public static final int HOVER_PIXELS = 10;
  /** rank colours; red is kept for the negative eigenvalues */
  private static final int[] PALETTE = { SWT.COLOR_DARK_BLUE, SWT.COLOR_DARK_GREEN, SWT.COLOR_DARK_MAGENTA,
      SWT.COLOR_DARK_CYAN, SWT.COLOR_DARK_YELLOW, SWT.COLOR_BLACK, SWT.COLOR_BLUE, SWT.COLOR_DARK_GRAY };
  private static final int NEGATIVE = SWT.COLOR_RED;

  private final Spectrum spectrum = new Spectrum();
  private LineChart eigenChart;
  private LineChart densityChart;
  private Combo probeCombo;
  private Combo stepCombo;
  private String probe;
  /** the density step chosen in the combo, or null to follow the latest */
  private Long chosenStep;
  /** the density step drawn, or null */
  private Long densityStep;
  private List<Long> stepItems = List.of();
  /** series id of the eigenvalue chart -> the eigenpairs it plots, in point order */
  private final Map<String, List<Spectrum.Eigen>> plotted = new LinkedHashMap<>();

  @Override
  public void createPartControl(Composite parent) {
    parent.setLayout(new GridLayout(1, false));
    Composite bar = new Composite(parent, SWT.NONE);
    bar.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
    bar.setLayout(new GridLayout(2, false));
    new Label(bar, SWT.NONE).setText("Probe:");
    probeCombo = new Combo(bar, SWT.READ_ONLY);
    probeCombo.setLayoutData(new GridData(150, SWT.DEFAULT));
    probeCombo.addListener(SWT.Selection, e -> {
      int i = probeCombo.getSelectionIndex();
      if (i >= 0 && !probeCombo.getItem(i).equals(probe)) {
        probe = probeCombo.getItem(i);
        chosenStep = null;
        redraw();
      }
    });

    SashForm sash = new SashForm(parent, SWT.VERTICAL);
    sash.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    eigenChart = chart(sash, "Top Hessian eigenvalues", "update t", "|\u03bb_i|  (log; red: \u03bb_i < 0)");
    Control plot = eigenChart.getBaseChart().getPlotArea().getControl();
    plot.addListener(SWT.MouseMove, e -> eigenChart.getBaseChart().getPlotArea().setToolTipText(hoverText(e.x, e.y)));

    Composite bottom = new Composite(sash, SWT.NONE);
    GridLayout bottomLayout = new GridLayout(2, false);
    bottomLayout.marginWidth = 0;
    bottomLayout.marginHeight = 0;
    bottom.setLayout(bottomLayout);
    new Label(bottom, SWT.NONE).setText("Density at:");
    stepCombo = new Combo(bottom, SWT.READ_ONLY);
    stepCombo.setLayoutData(new GridData(150, SWT.DEFAULT));
    stepCombo.addListener(SWT.Selection, e -> {
      int i = stepCombo.getSelectionIndex();
      if (i >= 0) {
        chosenStep = i == stepItems.size() - 1 ? null : stepItems.get(i); // the latest: follow the latest again
        redrawDensity();
      }
    });
    densityChart = chart(bottom, "Spectral density", "\u03bb", "\u03c6(\u03bb)  (log)");
    densityChart.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1));

    followRuns();
  }

  private static LineChart chart(Composite parent, String title, String x, String y) {
    LineChart chart = new LineChart(parent, SWT.NONE);
    IChartSettings settings = chart.getChartSettings();
    settings.setTitle(title);
    settings.setTitleVisible(true);
    settings.setLegendVisible(true);
    settings.setLegendPosition(SWT.BOTTOM);
    settings.setLegendExtendedVisible(false);
    settings.getPrimaryAxisSettingsX().setTitle(x);
    settings.getPrimaryAxisSettingsY().setTitle(y);
    settings.getPrimaryAxisSettingsY().setEnableLogScale(true);
    // log axes span decades: plain decimals would print 1e-5 as 0
    settings.getPrimaryAxisSettingsY()
        .setDecimalFormat(new DecimalFormat("0.##E0", DecimalFormatSymbols.getInstance(Locale.ROOT)));
    settings.getRangeRestriction().setZeroX(false); // λ grids go below 0
    settings.getRangeRestriction().setZeroY(false);
    settings.setHorizontalSliderVisible(false);
    settings.setVerticalSliderVisible(false);
    chart.applySettings(settings);
    return chart;
  }

  @Override
  protected Control anchor() {
    return eigenChart;
  }

  @Override
  protected void reset() {
    spectrum.clear();
    probe = null;
    chosenStep = null;
    redraw();
  }

  @Override
  protected boolean accept(MetricRow r) {
    return spectrum.add(r);
  }

  @Override
  protected void rowsChanged() {
    redraw();
  }

  @Override
  protected String describeRows() {
    return "  " + (probe == null ? "no curvature rows yet" : "probe " + probe);
  }

  private void redraw() {
    List<String> probes = spectrum.probes();
    if (probe == null || !probes.contains(probe)) {
      probe = probes.isEmpty() ? null : probes.get(0);
    }
    if (!List.of(probeCombo.getItems()).equals(probes)) {
      probeCombo.setItems(probes.toArray(String[]::new));
    }
    if (probe != null) {
      probeCombo.select(probes.indexOf(probe));
    }
    redrawEigen();
    redrawDensity();
  }

  private void redrawEigen() {
    plotted.clear();
    List<ILineSeriesData> data = new ArrayList<>();
    Map<String, Color[]> symbolColors = new LinkedHashMap<>();
    if (probe != null) {
      for (Map.Entry<Integer, List<Spectrum.Eigen>> rank : spectrum.eigenByRank(probe).entrySet()) {
        List<Spectrum.Eigen> points = rank.getValue().stream()
            .filter(e -> e.value() != 0 && Double.isFinite(e.value())).toList();
        if (points.isEmpty()) {
          continue;
        }
        String id = "\u03bb_" + rank.getKey();
        Color color = color(PALETTE[Math.floorMod(rank.getKey() - 1, PALETTE.length)]);
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        Color[] colors = new Color[points.size()];
        for (int i = 0; i < x.length; i++) {
          x[i] = points.get(i).step();
          y[i] = Math.abs(points.get(i).value());
          colors[i] = points.get(i).value() < 0 ? color(NEGATIVE) : color;
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
    }
    eigenChart.deleteSeries();
    eigenChart.addSeriesData(data, LineChart.NO_COMPRESSION);
    logY(eigenChart);
    pad(eigenChart, data.isEmpty());
    symbolColors.forEach((id, colors) -> {
      if (eigenChart.getBaseChart().getSeriesSet().getSeries(id) instanceof ILineSeries<?> line) {
        line.setSymbolColors(colors);
      }
    });
    eigenChart.redraw();
  }

  private void redrawDensity() {
    stepItems = probe == null ? List.of() : List.copyOf(spectrum.densitySteps(probe));
    String[] items = stepItems.stream().map(t -> "step " + t).toArray(String[]::new);
    if (!List.of(stepCombo.getItems()).equals(List.of(items))) {
      stepCombo.setItems(items);
    }
    densityStep = chosenStep != null && stepItems.contains(chosenStep) ? chosenStep
        : stepItems.isEmpty() ? null : stepItems.get(stepItems.size() - 1);
    if (densityStep != null) {
      stepCombo.select(stepItems.indexOf(densityStep));
    }
    List<ILineSeriesData> data = new ArrayList<>();
    if (densityStep != null) {
      double[][] xy = spectrum.density(probe, densityStep);
      List<double[]> kept = new ArrayList<>();
      for (int i = 0; i < xy[0].length; i++) {
        if (xy[1][i] > 0 && Double.isFinite(xy[1][i]) && Double.isFinite(xy[0][i])) {
          kept.add(new double[] { xy[0][i], xy[1][i] });
        }
      }
      if (!kept.isEmpty()) {
        String id = "\u03c6 at step " + densityStep;
        LineSeriesData line = new LineSeriesData(new SeriesData(kept.stream().mapToDouble(p -> p[0]).toArray(),
            kept.stream().mapToDouble(p -> p[1]).toArray(), id));
        ILineSeriesSettings s = line.getLineSeriesSettings();
        s.setDescription(id);
        s.setEnableArea(false);
        s.setLineColor(color(SWT.COLOR_DARK_BLUE));
        s.setLineStyle(LineStyle.SOLID);
        s.setLineWidth(1);
        s.setSymbolType(PlotSymbolType.NONE);
        data.add(line);
      }
    }
    densityChart.getBaseChart().getTitle().setText(densityStep == null ? "Spectral density"
        : "Spectral density at step " + densityStep);
    densityChart.deleteSeries();
    densityChart.addSeriesData(data, LineChart.NO_COMPRESSION);
    logY(densityChart);
    pad(densityChart, data.isEmpty());
    densityChart.redraw();
  }

  /**
   * puts the y axis on a log scale (again): the settings ask for it, but SWTChart keeps it only while every series
   * is positive, which the series drawn here are
   */
  private static void logY(LineChart chart) {
    IAxis y = chart.getBaseChart().getAxisSet().getYAxis(0);
    if (!y.isLogScaleEnabled()) {
      y.enableLogScale(true);
    }
  }

  /** a margin around the data, so that the points on the edges (the latest step, say) are drawn whole */
  private static void pad(LineChart chart, boolean empty) {
    if (empty) {
      return;
    }
    IAxis x = chart.getBaseChart().getAxisSet().getXAxis(0);
    Range rx = x.getRange();
    double w = rx.upper - rx.lower;
    if (w > 0) {
      x.setRange(new Range(rx.lower - 0.03 * w, rx.upper + 0.03 * w));
    }
    IAxis y = chart.getBaseChart().getAxisSet().getYAxis(0);
    Range ry = y.getRange();
    if (ry.lower > 0 && ry.upper > ry.lower) {
      y.setRange(new Range(ry.lower / 1.3, ry.upper * 1.3));
    }
  }

  private Color color(int swtColor) {
    return eigenChart.getDisplay().getSystemColor(swtColor);
  }

  /**
   * the tooltip for the pointer at ({@code x}, {@code y}) in the eigenvalue chart's plot area: the nearest point
   * within {@value #HOVER_PIXELS} pixels, or null
   */
  public String hoverText(int x, int y) {
    Spectrum.Eigen best = null;
    long bestDistance = (long) HOVER_PIXELS * HOVER_PIXELS;
    for (Map.Entry<String, List<Spectrum.Eigen>> e : plotted.entrySet()) {
      ISeries<?> series = eigenChart.getBaseChart().getSeriesSet().getSeries(e.getKey());
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
    return best == null ? null : describe(best);
  }

  /** "step t, λ_i = …, residual …, converged yes/no" */
  public static String describe(Spectrum.Eigen e) {
    return String.format(Locale.ROOT, "step %d, \u03bb_%d = %s%s, residual %s, converged %s", e.step(), e.rank(),
        number(e.value()), e.value() < 0 ? " (negative; |\u03bb| plotted)" : "",
        Double.isNaN(e.residual()) ? "not written" : number(e.residual()),
        e.converged() == null ? "unknown" : e.converged() ? "yes" : "no");
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }





  /** the probe whose rows are drawn, or null */
  public String getProbe() {
    return probe;
  }

  /** the step whose density is drawn, or null */
  public Long getDensityStep() {
    return densityStep;
  }

  public Chart getEigenChart() {
    return eigenChart.getBaseChart();
  }

  public Chart getDensityChart() {
    return densityChart.getBaseChart();
  }

  public Combo getProbeCombo() {
    return probeCombo;
  }

  /** lists "step t" for every step with density rows, ascending */
  public Combo getDensityStepCombo() {
    return stepCombo;
  }

  @Override
  public void setFocus() {
    if (eigenChart != null) {
      eigenChart.setFocus();
    }
  }
}
