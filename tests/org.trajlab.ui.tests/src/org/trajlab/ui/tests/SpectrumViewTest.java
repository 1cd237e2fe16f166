package org.trajlab.ui.tests;

import static org.trajlab.testing.ui.EventLoop.screenshot;
import static org.trajlab.testing.ui.EventLoop.spin;
import static org.trajlab.testing.ui.EventLoop.spinUntil;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swtchart.Chart;
import org.eclipse.swtchart.ILineSeries;
import org.eclipse.swtchart.ISeries;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.MetricsWriter;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.api.store.RunStatus;
import org.trajlab.api.store.RunStore;
import org.trajlab.ui.Perspective;
import org.trajlab.ui.RunsView;
import org.trajlab.ui.UiPreferences;
import org.trajlab.ui.InstrumentView;
import org.trajlab.ui.charts.DensityPanel;
import org.trajlab.ui.charts.LogScale;
import org.trajlab.ui.charts.SpectrumPanel;

/**
 * A run folder with synthetic curvature rows (3 steps × 5 ranks, one negative eigenvalue, residuals, flags, the
 * density at two steps), written in two parts while the run is RUNNING: the Spectrum view (the curvature probe's
 * "spectrum" chart group, drawn by the generic instrument view) follows the Runs view's selection, picks up the
 * second part live, and draws exactly those numbers. Its log axes plot log10 of the values, labelled at decades.
 */
class SpectrumViewTest {
  private static final long[] STEPS = { 0, 10, 20 };
  private static final int RANKS = 5;
  private static final long[] DENSITY_STEPS = { 10, 20 };
  private static final double[] GRID = { -1, -0.5, 0, 0.5, 1, 2, 4, 8 };

  @TempDir
  Path temp;

  /** λ_i at step t: decreasing in the rank; rank 5 at the last step is negative */
  static double lambda(long t, int i) {
    return t == 20 && i == 5 ? -0.25 : (6 - i) * (1 + t / 10.0);
  }

  static double residual(long t, int i) {
    return 1e-3 * i + 1e-5 * t;
  }

  static boolean converged(long t, int i) {
    return !(t == 20 && i == 5);
  }

  /** φ(λ) at a density step; the first grid point has density 0 (not drawable on the log axis) */
  static double density(long t, double lambda) {
    return lambda == GRID[0] ? 0 : Math.exp(-(lambda - t / 10.0) * (lambda - t / 10.0)) + 1e-6;
  }

  private static void write(MetricsWriter w, long t) {
    for (int i = 1; i <= RANKS; i++) {
      w.record(t, 1, "curvature", "hessian_eig", i, lambda(t, i));
      w.record(t, 1, "curvature", "hessian_eig_residual", i, residual(t, i));
      w.record(t, 1, "curvature", "hessian_eig_converged", i, converged(t, i) ? 1 : 0);
    }
    for (long d : DENSITY_STEPS) {
      if (d == t) {
        for (double g : GRID) {
          w.record(t, 1, "curvature", "hessian_density", g, density(t, g));
        }
      }
    }
    w.record(t, 1, "train", "loss", Double.NaN, 1.0 / (1 + t)); // a row the view leaves alone
  }

  private static void status(RunFolder run, RunState state, long step) throws Exception {
    RunStatus s = new RunStatus();
    s.state = state;
    s.step = step;
    s.totalSteps = 20;
    s.pid = ProcessHandle.current().pid();
    run.writeStatus(s);
  }

  @Test
  void spectrumViewDrawsEigenvaluesResidualsAndDensityLive() throws Exception {
    Path root = temp.resolve("runs");
    RunFolder run = new RunStore(root).newRun("spectrum");
    run.writeSpec(Specs.defaultExperiment());
    status(run, RunState.RUNNING, 10);
    try (MetricsWriter w = run.openMetrics()) {
      write(w, 0);
      write(w, 10);
    }
    UiPreferences.store().setValue(UiPreferences.RUNS_ROOT, root.toString());

    IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
    PlatformUI.getWorkbench().showPerspective(Perspective.ID, window);
    IWorkbenchPage page = window.getActivePage();
    RunsView runs = (RunsView) page.showView(RunsView.ID);
    runs.refresh();
    InstrumentView view = (InstrumentView) page.showView(InstrumentView.ID, "spectrum", IWorkbenchPage.VIEW_ACTIVATE);
    assertEquals("Spectrum", view.getPartName());
    SpectrumPanel eigen = (SpectrumPanel) view.getPanels().get("spectrum.eig");
    DensityPanel density = (DensityPanel) view.getPanels().get("spectrum.density");
    RunFolder listed = runs.getRuns().stream().filter(r -> r.dir().equals(run.dir())).findFirst()
        .orElseThrow(() -> new AssertionError("the Runs view does not list " + run.dir()));
    runs.getViewer().setSelection(new StructuredSelection(listed), true);
    spinUntil(() -> view.getRun() != null, Duration.ofSeconds(5), "the view to follow the selection");
    assertEquals(run.dir(), view.getRun().dir());
    spinUntil(() -> points(eigen.getChart(), "\u03bb_1") == 2, Duration.ofSeconds(10), "the first two steps");
    assertTrue(view.isFollowing(), "the view stopped reading a RUNNING run");
    assertEquals(Long.valueOf(10), density.getStep());

    // the run writes its last step: the view follows it, and the density follows the latest step
    try (MetricsWriter w = run.openMetrics()) {
      write(w, 20);
    }
    status(run, RunState.DONE, 20);
    spinUntil(() -> points(eigen.getChart(), "\u03bb_1") == 3 && Long.valueOf(20).equals(density.getStep()),
        Duration.ofSeconds(10), "the last step, read live");
    spinUntil(() -> !view.isFollowing(), Duration.ofSeconds(5), "the view to stop following a DONE run");
    assertEquals("curvature", eigen.getSource());
    PlotBounds.assertInside(view, "after the second part");

    // eigenvalues: 5 series of log10 |λ_i| over the steps, labelled at decades, the negative one in red
    Chart eig = eigen.getChart();
    assertTrue(eig.getAxisSet().getYAxis(0).getTitle().getText().contains("|\u03bb_i|"),
        eig.getAxisSet().getYAxis(0).getTitle().getText());
    assertDecades(eig, -1, 2); // |λ| from 0.25 to 15: 0.1 to 100
    assertEquals(RANKS, eig.getSeriesSet().getSeries().length);
    double[] x = { 0, 10, 20 };
    for (int i = 1; i <= RANKS; i++) {
      ISeries<?> s = eig.getSeriesSet().getSeries("\u03bb_" + i);
      assertNotNull(s, "no series for rank " + i);
      assertArrayEquals(x, s.getXSeries(), "steps of rank " + i);
      double[] y = new double[STEPS.length];
      for (int k = 0; k < STEPS.length; k++) {
        y[k] = Math.log10(Math.abs(lambda(STEPS[k], i)));
      }
      assertArrayEquals(y, s.getYSeries(), "log10 |λ| of rank " + i);
    }
    Color red = Display.getCurrent().getSystemColor(SWT.COLOR_RED);
    Color[] rank5 = ((ILineSeries<?>) eig.getSeriesSet().getSeries("\u03bb_5")).getSymbolColors();
    assertEquals(red, rank5[2], "the negative λ_5 at step 20 is not marked");
    assertTrue(!red.equals(rank5[0]) && !red.equals(rank5[1]), "a positive λ_5 is marked negative");

    // hover: the pointer on λ_5 at step 20 shows its signed value, residual and flag as the tooltip
    window.getShell().setBounds(Display.getCurrent().getPrimaryMonitor().getClientArea());
    spin(Duration.ofSeconds(1));
    ISeries<?> s5 = eig.getSeriesSet().getSeries("\u03bb_5");
    Point p = s5.getPixelCoordinates(2);
    Control plot = eig.getPlotArea().getControl();
    Event move = new Event();
    move.x = p.x;
    move.y = p.y;
    plot.notifyListeners(SWT.MouseMove, move);
    String tip = plot.getToolTipText();
    assertNotNull(tip, "no tooltip at " + p);
    assertTrue(tip.contains("step 20"), tip);
    assertTrue(tip.contains("\u03bb_5 = -0.250000"), tip);
    assertTrue(tip.contains("residual 0.00520000"), tip); // residual(20, 5) = 0.0052
    assertTrue(tip.contains("converged no"), tip);
    // with the window this size a decade of the eigenvalue axis is tall enough for 2 and 5 between the decades
    assertTrue(eig.getPlotArea().getSize().y >= 200, "plot height " + eig.getPlotArea().getSize().y);
    assertEquals(List.of("0.2", "0.5", "2", "5", "20", "50"), eigen.labelsBetweenDecades());
    String other = eigen.hoverText(eig.getSeriesSet().getSeries("\u03bb_1").getPixelCoordinates(1).x,
        eig.getSeriesSet().getSeries("\u03bb_1").getPixelCoordinates(1).y);
    assertNotNull(other);
    assertTrue(other.contains("step 10, \u03bb_1 = 10.0000, residual 0.00110000, converged yes"), other);
    assertNull(eigen.hoverText(-100, -100));

    // density: the latest step by default, log y axis, the zero left out; switching the combo switches the curve
    Chart dens = density.getChart();
    Combo combo = density.getStepCombo();
    assertArrayEquals(new String[] { "step 10", "step 20" }, combo.getItems());
    assertEquals("step 20", combo.getText());
    assertDensity(dens, 20);
    assertDecades(dens, -6, 0); // φ from 1e-6 to 1 (+1e-6)
    combo.select(0);
    combo.notifyListeners(SWT.Selection, new Event());
    assertEquals(Long.valueOf(10), density.getStep());
    assertDensity(dens, 10);
    combo.select(1);
    combo.notifyListeners(SWT.Selection, new Event());
    assertDensity(dens, 20);

    Path png = screenshot(window.getShell(), "spectrum-view.png");
    assertTrue(Files.size(png) > 20_000, "the screenshot is only " + Files.size(png) + " bytes");
  }

  /**
   * the curvature and nsgd probes both write eigenvalues: the Probe selector offers the two (not subspace, which wrote
   * none), draws curvature first, and switching draws nsgd's ranks and values instead
   */
  @Test
  void theProbeSelectorSwitchesBetweenTheSourcesOfTheEigenvalues() throws Exception {
    Path root = temp.resolve("runs2");
    RunFolder run = new RunStore(root).newRun("sources");
    run.writeSpec(Specs.defaultExperiment());
    status(run, RunState.DONE, 20);
    try (MetricsWriter w = run.openMetrics()) {
      write(w, 0);
      write(w, 10);
      for (int i = 1; i <= 3; i++) {
        w.record(10, 1, "nsgd", "hessian_eig", i, 100.0 / i);
        w.record(10, 1, "nsgd", "hessian_eig_residual", i, 1e-4);
        w.record(10, 1, "nsgd", "hessian_eig_converged", i, 1);
      }
    }
    UiPreferences.store().setValue(UiPreferences.RUNS_ROOT, root.toString());
    IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
    PlatformUI.getWorkbench().showPerspective(Perspective.ID, window);
    IWorkbenchPage page = window.getActivePage();
    RunsView runs = (RunsView) page.showView(RunsView.ID);
    runs.refresh();
    InstrumentView view = (InstrumentView) page.showView(InstrumentView.ID, "spectrum", IWorkbenchPage.VIEW_ACTIVATE);
    runs.getViewer().setSelection(new StructuredSelection(runs.getRuns().stream()
        .filter(r -> r.dir().equals(run.dir())).findFirst().orElseThrow()), true);
    SpectrumPanel eigen = (SpectrumPanel) view.getPanels().get("spectrum.eig");
    spinUntil(() -> view.getRun() != null && view.getRun().dir().equals(run.dir()) && !view.isFollowing()
        && points(eigen.getChart(), "\u03bb_1") == 2, Duration.ofSeconds(10), "the view to draw the run");
    Combo probes = eigen.getSourceCombo();
    assertArrayEquals(new String[] { "curvature", "nsgd" }, probes.getItems());
    assertEquals("curvature", probes.getText());
    assertEquals(RANKS, eigen.getChart().getSeriesSet().getSeries().length);

    probes.select(1);
    probes.notifyListeners(SWT.Selection, new Event());
    assertEquals("nsgd", eigen.getSource());
    assertEquals(3, eigen.getChart().getSeriesSet().getSeries().length);
    for (int i = 1; i <= 3; i++) {
      ISeries<?> s = eigen.getChart().getSeriesSet().getSeries("\u03bb_" + i);
      assertArrayEquals(new double[] { 10 }, s.getXSeries(), "nsgd steps of rank " + i);
      assertArrayEquals(new double[] { Math.log10(100.0 / i) }, s.getYSeries(), "nsgd log10 λ of rank " + i);
    }
    DensityPanel density = (DensityPanel) view.getPanels().get("spectrum.density");
    assertEquals(Long.valueOf(10), density.getStep(), "the density (of curvature only) is unaffected");
  }

  private static void assertDensity(Chart chart, long step) {
    assertEquals(1, chart.getSeriesSet().getSeries().length);
    ISeries<?> s = chart.getSeriesSet().getSeries("\u03c6 at step " + step);
    assertNotNull(s, "no density series for step " + step);
    List<Double> gx = new ArrayList<>();
    List<Double> gy = new ArrayList<>();
    for (double g : GRID) {
      if (density(step, g) > 0) {
        gx.add(g);
        gy.add(density(step, g));
      }
    }
    assertEquals(GRID.length - 1, gx.size());
    assertArrayEquals(gx.stream().mapToDouble(Double::doubleValue).toArray(), s.getXSeries(), "grid at " + step);
    assertArrayEquals(gy.stream().mapToDouble(Math::log10).toArray(), s.getYSeries(), "log10 φ at " + step);
    assertEquals("Spectral density at step " + step, chart.getTitle().getText());
  }

  /**
   * the y axis spans whole decades from 10^{@code bottom} to 10^{@code top} and a margin of 5% of them beyond each,
   * every tick is a decade (no minor ticks, so no minor grid lines), and the labels read 0.1, 1, 10 ... rather than
   * 1E-1
   */
  private static void assertDecades(Chart chart, int bottom, int top) {
    org.eclipse.swtchart.IAxis y = chart.getAxisSet().getYAxis(0);
    double margin = 0.05 * (top - bottom);
    assertEquals(bottom - margin, y.getRange().lower, 1e-12, "bottom decade and the margin below it");
    assertEquals(top + margin, y.getRange().upper, 1e-12, "top decade and the margin above it");
    double[] ticks = y.getTick().getTickLabelValues();
    assertTrue(ticks.length >= 2, "ticks " + java.util.Arrays.toString(ticks));
    for (double t : ticks) {
      assertEquals(Math.rint(t), t, 1e-9, "a tick between decades: " + java.util.Arrays.toString(ticks));
    }
    assertEquals("0.1", LogScale.tickLabel(-1));
    assertEquals("0.05", LogScale.label(5, -2));
    assertEquals("2\u00d710\u207b\u2075", LogScale.label(2, -5));
    assertArrayEquals(new int[] { 2, 5 }, LogScale.between(80, 17));
    assertArrayEquals(new int[0], LogScale.between(40, 17));
    assertEquals("10\u207b\u2076", LogScale.tickLabel(-6));
    assertEquals("100", y.getTick().getFormat().format(2.0));
  }

  private static int points(Chart chart, String id) {
    ISeries<?> s = chart.getSeriesSet().getSeries(id);
    return s == null ? 0 : s.getXSeries().length;
  }
}
