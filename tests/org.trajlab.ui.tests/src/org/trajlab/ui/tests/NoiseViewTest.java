package org.trajlab.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;

import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swtchart.Chart;
import org.eclipse.swtchart.IAxis;
import org.eclipse.swtchart.ILineSeries;
import org.eclipse.swtchart.ISeries;
import org.eclipse.ui.IWorkbenchPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.MetricsWriter;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.api.store.RunStatus;
import org.trajlab.api.store.RunStore;
import org.trajlab.testing.ui.EventLoop;
import org.trajlab.ui.InstrumentView;
import org.trajlab.ui.RunsView;
import org.trajlab.ui.UiPreferences;
import org.trajlab.ui.charts.ChartPanel;
import org.trajlab.ui.charts.Colormap;
import org.trajlab.ui.charts.ScatterPanel;

/**
 * The Noise view (the noise probe's chart group, declared by org.trajlab.probes.noise) on a run folder of synthetic noise and curvature rows, in a 1400×870 window: λ₁ᴷ, λ*ᴷ/λ₁ᴷ and Tr K
 * over the updates on log axes; the stability LHS with its reference line at 1 (the values stay below 1, so the axis
 * must reach up to the line); λ₁ᴴ (curvature, rank 1, every 20 updates) against λ₁ᴷ (every 10) as a scatter of the
 * 16 updates that have both, on log axes, coloured by the update; ΔL against λ₁ᴷ with its line at 0. Every plotted
 * point equals the rows written, lies inside its axes, and the reference line is painted where its value maps.
 */
class NoiseViewTest {
  static final long LAST = 300;

  @TempDir
  Path temp;

  static double kMax(long t) {
    return 0.5 + 20 * Math.exp(-Math.pow((t - 120) / 60.0, 2));
  }

  static double conditioning(long t) {
    return 1e-3 * (1 + t / 100.0);
  }

  static double trace(long t) {
    return 50 + t;
  }

  static double deltaLoss(long t) {
    return 0.05 * Math.cos(t / 40.0);
  }

  /** peaks at 0.8 at update 150: below the break-even threshold throughout */
  static double stability(long t) {
    return 0.3 + 0.5 * Math.exp(-Math.pow((t - 150) / 70.0, 2));
  }

  static double lambdaH(long t) {
    return 10 + t / 10.0;
  }

  static long[] noiseSteps() {
    return LongStream.rangeClosed(0, LAST / 10).map(i -> i * 10).toArray();
  }

  static long[] curvatureSteps() {
    return LongStream.rangeClosed(0, LAST / 20).map(i -> i * 20).toArray();
  }

  @Test
  void noiseViewDrawsKTheBreakEvenLineAndTheScatters() throws Exception {
    Path root = temp.resolve("runs");
    RunFolder run = new RunStore(root).newRun("noise");
    run.writeSpec(Specs.defaultExperiment());
    try (MetricsWriter w = run.openMetrics()) {
      for (long t : noiseSteps()) {
        if (t % 20 == 0) {
          w.record(t, 1, "curvature", "hessian_eig", 1, lambdaH(t));
          w.record(t, 1, "curvature", "hessian_eig", 2, lambdaH(t) / 3); // another rank: not λ₁ᴴ
        }
        w.record(t, 1, "noise", "k_lambda_max_xM", Double.NaN, kMax(t));
        w.record(t, 1, "noise", "k_conditioning", Double.NaN, conditioning(t));
        w.record(t, 1, "noise", "k_trace_xM", Double.NaN, trace(t));
        w.record(t, 1, "noise", "delta_loss_batch", Double.NaN, deltaLoss(t));
        w.record(t, 1, "noise", "stability_lhs", Double.NaN, stability(t));
      }
    }
    RunStatus s = new RunStatus();
    s.state = RunState.DONE;
    s.step = LAST;
    s.totalSteps = LAST;
    s.pid = ProcessHandle.current().pid();
    run.writeStatus(s);
    UiPreferences.store().setValue(UiPreferences.RUNS_ROOT, root.toString());

    IWorkbenchPage page = UiTests.trajlabPage();
    page.getWorkbenchWindow().getShell().setBounds(0, 0, 1400, 870);
    RunsView runs = (RunsView) page.showView(RunsView.ID);
    runs.refresh();
    RunFolder listed = runs.getRuns().stream().filter(r -> r.dir().equals(run.dir())).findFirst()
        .orElseThrow(() -> new AssertionError("the Runs view does not list " + run.dir()));
    runs.getViewer().setSelection(new StructuredSelection(listed), true);
    InstrumentView view = (InstrumentView) page.showView(InstrumentView.ID, "noise", IWorkbenchPage.VIEW_ACTIVATE);
    assertEquals("Noise", view.getPartName());
    assertEquals(List.of("noise", "curvature"), List.copyOf(view.getGroup().probes()));
    ScatterPanel hk = (ScatterPanel) view.getPanels().get("noise.curvature");
    ScatterPanel dl = (ScatterPanel) view.getPanels().get("noise.delta");
    UiTests.spinUntil(() -> hk.getPlotted().size() == curvatureSteps().length && dl.getPlotted().size() == noiseSteps().length,
        Duration.ofSeconds(10), "the noise view to draw the run");

    // over the updates: log10 of λ₁ᴷ, the conditioning and the trace; the stability LHS as it is
    assertLine(view, "noise.lambda", "λ₁ᴷ", NoiseViewTest::kMax, true);
    assertLine(view, "noise.conditioning", "λ*ᴷ / λ₁ᴷ", NoiseViewTest::conditioning, true);
    assertLine(view, "noise.trace", "Tr K", NoiseViewTest::trace, true);
    assertLine(view, "noise.stability", "stability LHS", NoiseViewTest::stability, false);

    // λ₁ᴴ against λ₁ᴷ: the updates with both, log10 on both axes, coloured by the update from 0 to 300
    long[] both = curvatureSteps();
    assertArrayEquals(both, hk.getPlotted().steps());
    ISeries<?> points = hk.getChart().getSeriesSet().getSeries("λ₁ᴴ (curvature)");
    assertNotNull(points);
    assertArrayEquals(LongStream.of(both).mapToDouble(t -> Math.log10(kMax(t))).toArray(), points.getXSeries(), 0.0);
    assertArrayEquals(LongStream.of(both).mapToDouble(t -> Math.log10(lambdaH(t))).toArray(), points.getYSeries(), 0.0);
    Color[] colors = ((ILineSeries<?>) points).getSymbolColors();
    for (int i = 0; i < both.length; i++) {
      assertEquals(Colormap.color(both[i], 0, LAST), colors[i], "the colour of update " + both[i]);
    }
    assertEquals("update t", hk.getScale().getTitle());
    view.revealChart("noise.curvature"); // the third row of four: scrolled to before hovering over it
    EventLoop.spin(Duration.ofMillis(500));
    Point p = points.getPixelCoordinates(3);
    String tip = hk.hoverText(p.x, p.y);
    assertEquals(String.format(Locale.ROOT, "step 60, k_lambda_max_xM = %.6g, hessian_eig[1] = %.6g", kMax(60), lambdaH(60)), tip);

    // ΔL against λ₁ᴷ at every noise update, x on a log axis, y linear
    ISeries<?> delta = dl.getChart().getSeriesSet().getSeries("ΔL against λ₁ᴷ");
    assertArrayEquals(LongStream.of(noiseSteps()).mapToDouble(t -> Math.log10(kMax(t))).toArray(), delta.getXSeries(), 0.0);
    assertArrayEquals(LongStream.of(noiseSteps()).mapToDouble(NoiseViewTest::deltaLoss).toArray(), delta.getYSeries(), 0.0);

    RealRunViewsTest.assertLegible(view, "noise-view.png", java.util.Set.of("noise.ratio", "noise.gamma"));

    // the reference lines: the stability axis reaches up past 1 although every value is below it, and the dashed
    // line is painted across the plot at the pixel row of y = 1
    ChartPanel stab = view.getPanels().get("noise.stability");
    view.revealChart("noise.stability");
    EventLoop.spin(Duration.ofMillis(500));
    IAxis y = stab.getChart().getAxisSet().getYAxis(0);
    assertTrue(y.getRange().upper > 1 && y.getRange().lower < 0.3, "stability axis " + y.getRange());
    int row = stab.referenceLineY();
    assertEquals(y.getPixelCoordinate(1.0), row);
    double painted = linePixels(stab.getChart(), row);
    System.out.printf(Locale.ROOT, "NoiseViewTest: the line at 1 is row %d of a %d px plot, %.0f%% of it painted%n", row,
        stab.getChart().getPlotArea().getSize().y, 100 * painted);
    assertTrue(painted > 0.3, "the reference line covers " + painted + " of its row");
    assertTrue(linePixels(stab.getChart(), row - 6) < 0.05, "the line is painted elsewhere");
    view.revealChart("noise.delta");
    EventLoop.spin(Duration.ofMillis(500));
    assertEquals(dl.getChart().getAxisSet().getYAxis(0).getPixelCoordinate(0.0), dl.referenceLineY());
    assertTrue(linePixels(dl.getChart(), dl.referenceLineY()) > 0.3, "the line at ΔL = 0");
    EventLoop.screenshot(view.getSite().getShell(), "noise-view-scrolled.png");
    assertNull(view.getMessage());
  }

  /** the lines series {@code label} of chart {@code id} plots f(t) (log10 of it on a log axis) at every noise update */
  private static void assertLine(InstrumentView view, String id, String label, java.util.function.LongToDoubleFunction f,
      boolean log) {
    Chart chart = view.getCharts().get(id);
    ISeries<?> s = chart.getSeriesSet().getSeries(label);
    assertNotNull(s, id + " does not draw " + label);
    long[] steps = noiseSteps();
    assertArrayEquals(LongStream.of(steps).mapToDouble(t -> t).toArray(), s.getXSeries(), 0.0, id + " x");
    assertArrayEquals(LongStream.of(steps).mapToDouble(t -> log ? Math.log10(f.applyAsDouble(t)) : f.applyAsDouble(t))
        .toArray(), s.getYSeries(), 0.0, id + " y");
  }

  /** the share of the plot area's pixels in {@code row} painted in the reference line's colour */
  static double linePixels(Chart chart, int row) {
    Control plot = chart.getPlotArea().getControl();
    Point size = plot.getSize();
    if (row < 0 || row >= size.y) {
      return 0;
    }
    Display display = plot.getDisplay();
    Image image = new Image(display, size.x, size.y);
    GC gc = new GC(plot);
    try {
      gc.copyArea(image, 0, 0);
      ImageData data = image.getImageData();
      RGB line = display.getSystemColor(ChartPanel.HLINE_COLOR).getRGB();
      int hits = 0;
      for (int x = 0; x < size.x; x++) {
        if (data.palette.getRGB(data.getPixel(x, row)).equals(line)) hits++;
      }
      return hits / (double) size.x;
    } finally {
      gc.dispose();
      image.dispose();
    }
  }
}
