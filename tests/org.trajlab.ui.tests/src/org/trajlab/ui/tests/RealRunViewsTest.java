package org.trajlab.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.LongStream;

import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swtchart.Chart;
import org.eclipse.swtchart.IAxis;
import org.eclipse.swtchart.ILineSeries;
import org.eclipse.swtchart.ISeries;
import org.eclipse.ui.IWorkbenchPage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlab.api.chart.ChartDescriptor;
import org.trajlab.api.chart.ChartKind;
import org.trajlab.api.chart.SeriesDescriptor;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.run.RunOutcome;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.ScheduleSpec;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.api.store.RunStatus;
import org.trajlab.api.store.RunStore;
import org.trajlab.testing.Fixtures;
import org.trajlab.testing.ui.EventLoop;
import org.trajlab.ui.InstrumentView;
import org.trajlab.ui.RunActions;
import org.trajlab.ui.RunsView;
import org.trajlab.ui.UiPreferences;
import org.trajlab.ui.charts.ChartPanel;
import org.trajlab.ui.charts.DensityPanel;
import org.trajlab.ui.charts.HeatmapPanel;
import org.trajlab.ui.charts.LinesPanel;
import org.trajlab.ui.charts.LogScale;
import org.trajlab.ui.charts.ScatterPanel;
import org.trajlab.ui.charts.SpectrumPanel;

/**
 * A real run, as a user makes one: 300 updates of the paper's MLP on Fashion-MNIST through the engine's
 * ExperimentRunner service, with the walk probe every 10th update, the curvature probe (top-5 eigenpairs on 256
 * examples, Hutchinson trace, spectral density, loss along e1) at five updates, and the trajectory embedding of 1,000
 * test examples' predictions every 15th update (20 points). In a 1400×870 workbench window the Walk, Curvature,
 * Spectrum and Embedding views each draw it with every plot area at least {@value #MIN_PLOT_HEIGHT} px high, and
 * every plotted point is the number metrics.csv holds, parsed here with a plain split. Screenshots of each view go to
 * target/test-output.
 */
class RealRunViewsTest {
  static final int STEPS = 300;
  static final int WALK_EVERY = 10;
  static final int WALK_POINTS = 10; // interior; the walk adds both ends
  static final List<Long> CURVATURE_STEPS = List.of(0L, 75L, 150L, 225L, 299L);
  static final int K = 5;
  static final int EMBEDDING_EVERY = 15;
  static final int NOISE_EVERY = 20;
  /** the legible minimum of a plot area's height */
  static final int MIN_PLOT_HEIGHT = 120;

  @TempDir
  static Path temp;
  static Path root;
  static RunFolder run;
  /** metrics.csv split at commas, header left out */
  static List<String[]> csv;

  @BeforeAll
  static void runTheEngine() throws Exception {
    RunSpec spec = UiTests.smallSpec("views", STEPS);
    spec.data.dir = Fixtures.fashionMnistDir().toString();
    spec.data.testSize = 2000;
    spec.eval.every = 100;
    ProbeSpec walk = new ProbeSpec("walk", ScheduleSpec.range(0, STEPS - 1, WALK_EVERY));
    walk.params.put("points", WALK_POINTS);
    ScheduleSpec sparse = new ScheduleSpec();
    sparse.steps = CURVATURE_STEPS;
    ProbeSpec curvature = new ProbeSpec("curvature", sparse);
    curvature.params.put("k", K);
    curvature.params.put("subset", 256);
    curvature.params.put("hutchinson", 4);
    curvature.params.put("density", true);
    curvature.params.put("densitySteps", 20);
    curvature.params.put("kPoints", 9);
    curvature.params.put("batches", 4);
    ProbeSpec embedding = new ProbeSpec("embedding", ScheduleSpec.range(0, STEPS - 1, EMBEDDING_EVERY));
    embedding.params.put("examples", 1000);
    ProbeSpec noise = new ProbeSpec("noise", ScheduleSpec.range(0, STEPS - 1, NOISE_EVERY));
    noise.params.put("hessianSubset", 512);
    noise.params.put("deltaEvery", 5);
    spec.probes.add(walk);
    spec.probes.add(curvature);
    spec.probes.add(embedding);
    spec.probes.add(noise);
    root = temp.resolve("runs");
    run = new RunStore(root).newRun(spec.name);
    long start = System.nanoTime();
    RunOutcome outcome = UiTests.runner().run(spec, run, RunMonitor.NONE);
    assertEquals(RunState.DONE, outcome.state(), outcome.message());
    System.out.printf(Locale.ROOT, "RealRunViewsTest: the run took %.1f s%n", (System.nanoTime() - start) / 1e9);
    List<String> lines = Files.readAllLines(run.file(RunFolder.METRICS));
    assertEquals("step,epoch,probe,quantity,index,value", lines.get(0));
    csv = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      assertEquals(6, f.length, line);
      csv.add(f);
    }
    UiPreferences.store().setValue(UiPreferences.RUNS_ROOT, root.toString());
  }

  @Test
  void walkViewDrawsTheRealRunLegibly() throws Exception {
    InstrumentView view = open("walk");
    Map<String, double[][]> expected = WalkViewTest.expectedFromCsv(run.file(RunFolder.METRICS));
    int walks = STEPS / WALK_EVERY;
    assertEquals(walks * (WALK_POINTS + 2), expected.get("loss_interp")[0].length);
    UiTests.spinUntil(() -> points(view, "walk.interp", "interpolated loss") == walks * (WALK_POINTS + 2),
        Duration.ofSeconds(20), "the walk view to draw the run");
    assertLinesEqualCsv(view);
    WalkViewTest.assertHeatmapEqualsCsv((HeatmapPanel) view.getPanels().get("walk.heat"), run.file(RunFolder.METRICS),
        walks, WALK_POINTS + 2);
    assertLegible(view, "real-walk-view.png");
    // hovering over a point shows its exact numbers: the 4th distance from initialisation, as metrics.csv has it
    LinesPanel dist = (LinesPanel) view.getPanels().get("walk.dist");
    ISeries<?> series = view.getCharts().get("walk.dist").getSeriesSet().getSeries("distance from init");
    String[] row = rows("walk", "dist_from_init").get(3);
    org.eclipse.swt.graphics.Point at = series.getPixelCoordinates(3);
    assertEquals("distance from init: update t = " + row[0] + ", ||theta(t) - theta(0)|| = "
        + Double.toString(Double.parseDouble(row[5])), dist.pointText(at.x, at.y));
    assertEquals(dist.pointText(at.x, at.y), dist.pointText(at.x + 1, at.y - 1), "a pixel off is the same point");
    assertNull(dist.pointText(-500, -500), "far from every point: no tooltip");
  }

  @Test
  void curvatureViewDrawsTheRealRunLegibly() throws Exception {
    InstrumentView view = open("curvature");
    UiTests.spinUntil(() -> points(view, "curvature.trace", "Tr(H)") == CURVATURE_STEPS.size(), Duration.ofSeconds(20),
        "the curvature view to draw the run");
    assertEquals(5, view.getPanels().size());
    assertLinesEqualCsv(view);
    assertLegible(view, "real-curvature-view.png");
    // five charts in two columns do not fit at 1400x870: the view scrolls by whole rows to the last one
    assertFalse(view.isShown("curvature.wnorm"), "all five charts shown at once");
    view.revealChart("curvature.wnorm");
    EventLoop.spin(Duration.ofMillis(500));
    assertTrue(view.isShown("curvature.wnorm"));
    EventLoop.screenshot(view.getSite().getShell(), "real-curvature-view-scrolled.png");
  }

  /**
   * the Landscape view (paper 001, Fig. 4): the loss along e1 as a heat map over update × k and as curves, the step
   * test's change of the loss at a = 0.5, 1, 2 (one curve each, only that a's rows) and k_min: every point a row of
   * metrics.csv
   */
  @Test
  void landscapeViewDrawsTheRealRunLegibly() throws Exception {
    InstrumentView view = open("landscape");
    UiTests.spinUntil(() -> points(view, "landscape.step", "a = 1") == CURVATURE_STEPS.size(), Duration.ofSeconds(20),
        "the landscape view to draw the run");
    assertEquals(4, view.getPanels().size());
    assertEquals(CURVATURE_STEPS.size() * 9, rows("curvature", "loss_along_top_eig").size());
    assertEquals(CURVATURE_STEPS.size(), points(view, "landscape.step", "a = 2"));
    assertLinesEqualCsv(view);
    Paper003ViewsTest.assertHeatmapEqualsCsv((HeatmapPanel) view.getPanels().get("landscape.heat"), csv, "curvature",
        "loss_along_top_eig", CURVATURE_STEPS.size(), 9);
    assertLegible(view, "real-landscape-view.png");
  }

  @Test
  void spectrumViewDrawsTheRealRunLegibly() throws Exception {
    InstrumentView view = open("spectrum");
    SpectrumPanel eigen = (SpectrumPanel) view.getPanels().get("spectrum.eig");
    DensityPanel density = (DensityPanel) view.getPanels().get("spectrum.density");
    long last = CURVATURE_STEPS.get(CURVATURE_STEPS.size() - 1);
    UiTests.spinUntil(() -> Long.valueOf(last).equals(density.getStep())
        && seriesPoints(eigen.getChart(), eigen.seriesId(1)) == CURVATURE_STEPS.size(), Duration.ofSeconds(20),
        "the spectrum view to draw the run");
    assertEquals("curvature", eigen.getSource());

    // every rank: log10 |λ_i| at each curvature step, red where λ_i < 0
    Chart eig = eigen.getChart();
    Map<Integer, List<String[]>> byRank = new TreeMap<>();
    for (String[] f : rows("curvature", "hessian_eig")) {
      byRank.computeIfAbsent((int) Double.parseDouble(f[4]), i -> new ArrayList<>()).add(f);
    }
    assertEquals(K, byRank.size());
    assertEquals(K, eig.getSeriesSet().getSeries().length);
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    Color red = Display.getCurrent().getSystemColor(SWT.COLOR_RED);
    for (Map.Entry<Integer, List<String[]>> rank : byRank.entrySet()) {
      List<String[]> drawn = rank.getValue().stream().filter(f -> Double.parseDouble(f[5]) != 0).toList();
      ISeries<?> s = eig.getSeriesSet().getSeries("\u03bb_" + rank.getKey());
      assertNotNull(s, "no series for rank " + rank.getKey());
      assertArrayEquals(drawn.stream().mapToDouble(f -> Long.parseLong(f[0])).toArray(), s.getXSeries(), "steps of rank " + rank.getKey());
      assertArrayEquals(drawn.stream().mapToDouble(f -> Math.log10(Math.abs(Double.parseDouble(f[5])))).toArray(),
          s.getYSeries(), "log10 |λ| of rank " + rank.getKey());
      Color[] colors = ((ILineSeries<?>) s).getSymbolColors();
      for (int i = 0; i < drawn.size(); i++) {
        double v = Double.parseDouble(drawn.get(i)[5]);
        assertEquals(v < 0, red.equals(colors[i]), "the mark of λ_" + rank.getKey() + " = " + v);
        min = Math.min(min, Math.abs(v));
        max = Math.max(max, Math.abs(v));
      }
    }
    assertDecadeAxis(eig, min, max, 6);
    System.out.println("RealRunViewsTest: eigenvalue labels between decades " + eigen.labelsBetweenDecades());
    for (String label : eigen.labelsBetweenDecades()) {
      assertTrue(label.matches("0\\.0*[25]|[25]0*"), "a label between decades: " + label);
    }

    // hover over λ_1 at the last step: its signed value, residual and flag from metrics.csv
    ISeries<?> first = eig.getSeriesSet().getSeries("\u03bb_1");
    Point p = first.getPixelCoordinates(CURVATURE_STEPS.size() - 1);
    Control plot = eig.getPlotArea().getControl();
    Event move = new Event();
    move.x = p.x;
    move.y = p.y;
    plot.notifyListeners(SWT.MouseMove, move);
    String tip = plot.getToolTipText();
    assertNotNull(tip, "no tooltip over λ_1 at step " + last);
    String expectedTip = String.format(Locale.ROOT, "step %d, \u03bb_1 = %.6g", last, value(last, "hessian_eig", 1));
    assertTrue(tip.startsWith(expectedTip), tip + " does not start with " + expectedTip);
    assertTrue(tip.contains(String.format(Locale.ROOT, "residual %.6g", value(last, "hessian_eig_residual", 1))), tip);
    assertTrue(tip.contains("converged " + (value(last, "hessian_eig_converged", 1) == 1 ? "yes" : "no")), tip);

    // the density at the latest step: log10 φ over the λ grid (φ ≤ 0 left out), the axis clipped to 6 decades
    assertEquals(CURVATURE_STEPS.stream().map(t -> "step " + t).toList(), List.of(density.getStepCombo().getItems()));
    ISeries<?> phi = density.getChart().getSeriesSet().getSeries("\u03c6 at step " + last);
    assertNotNull(phi, "no density series at step " + last);
    TreeMap<Double, Double> grid = new TreeMap<>();
    for (String[] f : rows("curvature", "hessian_density")) {
      if (Long.parseLong(f[0]) == last) grid.put(Double.parseDouble(f[4]), Double.parseDouble(f[5]));
    }
    assertEquals(201, grid.size(), "density grid points at step " + last);
    List<Map.Entry<Double, Double>> positive = grid.entrySet().stream().filter(e -> e.getValue() > 0).toList();
    assertArrayEquals(positive.stream().mapToDouble(Map.Entry::getKey).toArray(), phi.getXSeries(), "the λ grid");
    assertArrayEquals(positive.stream().mapToDouble(e -> Math.log10(e.getValue())).toArray(), phi.getYSeries(), "log10 φ");
    double phiMax = positive.stream().mapToDouble(Map.Entry::getValue).max().orElseThrow();
    double phiMin = positive.stream().mapToDouble(Map.Entry::getValue).min().orElseThrow();
    System.out.printf(Locale.ROOT, "RealRunViewsTest: density at step %d from %.3g to %.3g%n", last, phiMin, phiMax);
    assertDecadeAxis(density.getChart(), phiMin, phiMax, 6);
    assertLegible(view, "real-spectrum-view.png");
  }

  /**
   * the Embedding view: the 20 measured steps' points of the UMAP map (embedding_x, embedding_y of metrics.csv, in
   * step order), coloured by λ₁ᴷ of the noise probe at the nearest noise step (the first colouring with rows), then by
   * λ₁ᴴ of the curvature probe at the nearest curvature step and by training accuracy (eval rows every 100 updates),
   * chosen in the Colour selector
   */
  @Test
  void embeddingViewDrawsTheRealRunLegibly() throws Exception {
    InstrumentView view = open("embedding");
    ScatterPanel map = (ScatterPanel) view.getPanels().get("embedding.map");
    int points = STEPS / EMBEDDING_EVERY;
    UiTests.spinUntil(() -> map.getPlotted().size() == points, Duration.ofSeconds(20), "the embedding view to draw the run");
    List<String[]> xs = rows("embedding", "embedding_x");
    List<String[]> ys = rows("embedding", "embedding_y");
    assertEquals(points, xs.size());
    long[] steps = xs.stream().mapToLong(f -> Long.parseLong(f[0])).toArray();
    assertArrayEquals(LongStream.range(0, points).map(i -> i * EMBEDDING_EVERY).toArray(), steps);
    assertArrayEquals(steps, ys.stream().mapToLong(f -> Long.parseLong(f[0])).toArray());
    assertEquals(List.of("λ₁ᴷ (noise)", "λ₁ᴴ (noise)", "λ₁ᴴ (curvature)", "training accuracy", "test accuracy",
        "update t"), List.of(map.getSourceCombo().getItems()));
    assertEquals("λ₁ᴷ (noise)", map.getSource().label());
    TreeMap<Long, Double> lambdaK = new TreeMap<>();
    rows("noise", "k_lambda_max_xM").forEach(f -> lambdaK.put(Long.parseLong(f[0]), Double.parseDouble(f[5])));
    assertEquals(STEPS / NOISE_EVERY, lambdaK.size());
    assertColours(map, xs.stream().mapToLong(f -> Long.parseLong(f[0])).toArray(), lambdaK);
    map.getSourceCombo().select(2);
    map.getSourceCombo().notifyListeners(SWT.Selection, new Event());
    EventLoop.spin(Duration.ofMillis(300));
    assertEquals("λ₁ᴴ (curvature)", map.getSource().label());
    ISeries<?> drawn = map.getChart().getSeriesSet().getSeries("λ₁ᴴ (curvature)");
    assertNotNull(drawn);
    assertArrayEquals(xs.stream().mapToDouble(f -> Double.parseDouble(f[5])).toArray(), drawn.getXSeries(), "embedding_x");
    assertArrayEquals(ys.stream().mapToDouble(f -> Double.parseDouble(f[5])).toArray(), drawn.getYSeries(), "embedding_y");
    assertArrayEquals(steps, map.getPlotted().steps());
    TreeMap<Long, Double> lambda1 = new TreeMap<>();
    rows("curvature", "hessian_eig").stream().filter(f -> Double.parseDouble(f[4]) == 1)
        .forEach(f -> lambda1.put(Long.parseLong(f[0]), Double.parseDouble(f[5])));
    assertColours(map, steps, lambda1);
    assertLegible(view, "real-embedding-view.png");

    map.getSourceCombo().select(3);
    map.getSourceCombo().notifyListeners(SWT.Selection, new Event());
    EventLoop.spin(Duration.ofMillis(300));
    assertEquals("training accuracy", map.getSource().label());
    TreeMap<Long, Double> accuracy = new TreeMap<>();
    rows("eval", "acc_train_eval").forEach(f -> accuracy.put(Long.parseLong(f[0]), Double.parseDouble(f[5])));
    assertEquals(Set.of(0L, 100L, 200L, 300L), accuracy.keySet());
    assertColours(map, steps, accuracy);
    assertEquals("training accuracy", map.getScale().getTitle());
    EventLoop.screenshot(view.getSite().getShell(), "real-embedding-view-accuracy.png");
    assertTrue(PlotBounds.violations(view, "coloured by training accuracy").isEmpty());
    Point p = map.getChart().getSeriesSet().getSeries("training accuracy").getPixelCoordinates(0);
    String tip = map.hoverText(p.x, p.y);
    assertNotNull(tip);
    assertTrue(tip.startsWith("step 0, embedding_x = "), tip);
    assertTrue(tip.endsWith(String.format(Locale.ROOT, "acc_train_eval = %.6g", accuracy.get(0L))), tip);
  }

  /**
   * the Noise view: λ₁ᴷ, λ*ᴷ/λ₁ᴷ, Tr K, the stability LHS and ‖g‖/‖g₅‖ over the 15 noise updates as metrics.csv holds
   * them; λ₁ᴴ (the noise probe's own Lanczos) against λ₁ᴷ at those updates and ΔL of the step against λ₁ᴷ, on log x
   * axes; the ‖γ‖ chart says why it is empty (the MLP has no batch norm)
   */
  @Test
  void noiseViewDrawsTheRealRunLegibly() throws Exception {
    InstrumentView view = open("noise");
    int measured = STEPS / NOISE_EVERY;
    ScatterPanel hk = (ScatterPanel) view.getPanels().get("noise.curvature");
    ScatterPanel dl = (ScatterPanel) view.getPanels().get("noise.delta");
    UiTests.spinUntil(() -> points(view, "noise.lambda", "λ₁ᴷ") == measured && hk.getPlotted().size() == measured
        && dl.getPlotted().size() == measured, Duration.ofSeconds(20), "the noise view to draw the run");
    assertLinesEqualCsv(view);
    TreeMap<Long, Double> lambdaK = new TreeMap<>();
    rows("noise", "k_lambda_max_xM").forEach(f -> lambdaK.put(Long.parseLong(f[0]), Double.parseDouble(f[5])));
    TreeMap<Long, Double> lambdaH = new TreeMap<>();
    rows("noise", "hessian_eig").stream().filter(f -> Double.parseDouble(f[4]) == 1)
        .forEach(f -> lambdaH.put(Long.parseLong(f[0]), Double.parseDouble(f[5])));
    assertEquals(lambdaK.keySet(), lambdaH.keySet());
    assertEquals("λ₁ᴴ (noise)", hk.getSource().label());
    ISeries<?> pts = hk.getChart().getSeriesSet().getSeries(hk.getSource().label());
    assertArrayEquals(lambdaK.values().stream().mapToDouble(Math::log10).toArray(), pts.getXSeries(), 0.0, "log10 λ₁ᴷ");
    assertArrayEquals(lambdaH.values().stream().mapToDouble(v -> Math.log10(Math.abs(v))).toArray(), pts.getYSeries(),
        1e-15, "log10 λ₁ᴴ");
    TreeMap<Long, Double> delta = new TreeMap<>();
    rows("noise", "delta_loss_batch").forEach(f -> delta.put(Long.parseLong(f[0]), Double.parseDouble(f[5])));
    assertEquals(STEPS / 5, delta.size(), "ΔL every 5th update");
    ISeries<?> d = dl.getChart().getSeriesSet().getSeries("ΔL against λ₁ᴷ");
    assertArrayEquals(lambdaK.keySet().stream().mapToDouble(t -> delta.get(t)).toArray(), d.getYSeries(), 0.0, "ΔL");
    double lhsMax = rows("noise", "stability_lhs").stream().mapToDouble(f -> Double.parseDouble(f[5])).max().orElseThrow();
    System.out.printf(Locale.ROOT, "RealRunViewsTest: λ₁ᴷ from %.4g to %.4g, λ₁ᴴ from %.4g to %.4g, max stability LHS %.4f%n",
        lambdaK.values().stream().mapToDouble(v -> v).min().orElseThrow(), lambdaK.values().stream().mapToDouble(v -> v).max().orElseThrow(),
        lambdaH.values().stream().mapToDouble(v -> v).min().orElseThrow(), lambdaH.values().stream().mapToDouble(v -> v).max().orElseThrow(), lhsMax);
    IAxis y = view.getPanels().get("noise.stability").getChart().getAxisSet().getYAxis(0);
    assertTrue(y.getRange().upper >= 1, "the stability axis reaches its line at 1: " + y.getRange());
    assertLegible(view, "real-noise-view.png", Set.of("noise.gamma"));
    view.revealChart("noise.gamma");
    EventLoop.spin(Duration.ofMillis(500));
    EventLoop.screenshot(view.getSite().getShell(), "real-noise-view-scrolled.png");
    assertEquals("Only models with batch normalisation have a γ.", view.getPanels().get("noise.gamma").getNote());
  }

  /**
   * the colour value of every point is {@code colour} at the nearest step that has one (the earlier of two equally
   * near), and its symbol is painted with that value's place on the colour map
   */
  private static void assertColours(ScatterPanel map, long[] steps, TreeMap<Long, Double> colour) {
    double min = colour.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double max = colour.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    double[] expected = new double[steps.length];
    for (int i = 0; i < steps.length; i++) {
      Map.Entry<Long, Double> below = colour.floorEntry(steps[i]);
      Map.Entry<Long, Double> above = colour.ceilingEntry(steps[i]);
      expected[i] = above == null || (below != null && steps[i] - below.getKey() <= above.getKey() - steps[i])
          ? below.getValue() : above.getValue();
    }
    assertArrayEquals(expected, map.getPlotted().colour(), 0.0, "colour values");
    double lo = Arrays.stream(expected).min().orElseThrow();
    double hi = Arrays.stream(expected).max().orElseThrow();
    assertTrue(lo >= min && hi <= max);
    Color[] symbols = ((ILineSeries<?>) map.getChart().getSeriesSet().getSeries(map.getSource().label())).getSymbolColors();
    for (int i = 0; i < steps.length; i++) {
      assertEquals(org.trajlab.ui.charts.Colormap.color(expected[i], lo, hi), symbols[i], "the colour of step " + steps[i]);
    }
  }

  /**
   * the run as the views see one in progress: a copy of its folder, RUNNING, whose metrics.csv grows in four parts (its
   * lines up to steps 80, 160 and 240, then the rest, as the engine appended them). The Walk, Curvature, Spectrum and
   * Embedding views follow it, stacked (the embedding's rows come last: the probe writes them when the run finishes);
   * the window changes size before every part (as a user's may while a run trains) and defers its layouts while the
   * views read it (as the workbench does), so the charts get their plot sizes after they were drawn, and the views
   * behind the front one are laid out anew when brought to the front (the first rows reach two views laid out with
   * nothing to show yet). After every part, every point they plot lies inside its chart's axes, the points beyond the
   * range of the earlier parts included, and, in each view brought to the front, inside the plot area's pixels, on axes
   * that map onto the plot's current size.
   */
  @Test
  void everyPlottedPointStaysInsideTheAxesAsTheRowsArrive() throws Exception {
    RunFolder replay = new RunStore(root).newRun("replay");
    Files.copy(run.file(RunFolder.SPEC), replay.file(RunFolder.SPEC));
    status(replay, RunState.RUNNING, 0);
    IWorkbenchPage page = UiTests.trajlabPage();
    page.getWorkbenchWindow().getShell().setBounds(0, 0, 1400, 870);
    List<InstrumentView> views = new ArrayList<>();
    for (String group : List.of("walk", "curvature", "landscape", "spectrum", "embedding", "noise")) {
      views.add((InstrumentView) page.showView(InstrumentView.ID, group, IWorkbenchPage.VIEW_ACTIVATE));
    }
    RunsView runs = (RunsView) page.showView(RunsView.ID);
    runs.refresh();
    RunFolder listed = runs.getRuns().stream().filter(r -> r.dir().equals(replay.dir())).findFirst()
        .orElseThrow(() -> new AssertionError("the Runs view does not list " + replay.dir()));
    runs.getViewer().setSelection(new StructuredSelection(listed), true);
    for (InstrumentView view : views) {
      UiTests.spinUntil(() -> view.getRun() != null && view.getRun().dir().equals(replay.dir()), Duration.ofSeconds(5),
          "the " + view.getPartName() + " view to follow the replayed run");
      page.activate(view); // laid out with nothing to show yet (no ticks on the charts), then put behind the next
      EventLoop.spin(Duration.ofMillis(300));
    }
    page.activate(views.get(0)); // the first rows reach the Curvature and Spectrum views behind the Walk view

    List<String> lines = Files.readAllLines(run.file(RunFolder.METRICS));
    List<String> outside = new ArrayList<>();
    int next = 0;
    long[] ends = { 80, 160, 240, STEPS };
    Point[] windows = { new Point(1600, 1000), new Point(1400, 870), new Point(1200, 800), new Point(1400, 870) };
    for (int k = 0; k < ends.length; k++) {
      long end = ends[k];
      page.getWorkbenchWindow().getShell().setSize(windows[k]);
      EventLoop.spin(Duration.ofMillis(300));
      List<String> part = new ArrayList<>();
      while (next < lines.size() && (next == 0 || end == STEPS || Long.parseLong(lines.get(next).split(",", 2)[0]) <= end)) {
        part.add(lines.get(next++));
      }
      // the views read the part while the window defers its layouts, as the workbench does (e.g. in
      // WorkbenchWindow.updateActionBars): the charts' plot areas get their sizes after the charts were drawn
      Shell shell = page.getWorkbenchWindow().getShell();
      shell.setLayoutDeferred(true);
      try {
        Files.write(replay.file(RunFolder.METRICS), part, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        status(replay, end == STEPS ? RunState.DONE : RunState.RUNNING, end);
        for (InstrumentView view : views) {
          UiTests.spinUntil(() -> end == STEPS ? !view.isFollowing() : view.getContentDescription().contains("step " + end + "/"),
              Duration.ofSeconds(10), "the " + view.getPartName() + " view to read the lines up to step " + end);
        }
      } finally {
        shell.setLayoutDeferred(false);
      }
      String when = "after the lines up to step " + end + " in a " + windows[k].x + "x" + windows[k].y + " window";
      for (InstrumentView view : views) {
        page.activate(view);
        EventLoop.spin(Duration.ofMillis(400));
        outside.addAll(PlotBounds.violations(view, when));
      }
      long curvatureSteps = CURVATURE_STEPS.stream().filter(t -> t <= end).count();
      assertEquals(curvatureSteps, points(views.get(1), "curvature.trace", "Tr(H)"), "trace points " + when);
      long walks = LongStream.range(0, STEPS / WALK_EVERY).filter(i -> i * WALK_EVERY <= end).count();
      assertEquals(walks * (WALK_POINTS + 2), points(views.get(0), "walk.interp", "interpolated loss"), "walk points " + when);
    }
    assertEquals(lines.size(), next);
    assertTrue(outside.isEmpty(), outside.size() + " plotted points lie outside their axes:\n  " + String.join("\n  ", outside));
  }

  private static void status(RunFolder folder, RunState state, long step) throws Exception {
    RunStatus s = new RunStatus();
    s.state = state;
    s.step = step;
    s.totalSteps = STEPS;
    s.pid = ProcessHandle.current().pid();
    folder.writeStatus(s);
  }

  @Test
  void runsViewOffersTheViewsOfTheRunsProbes() throws Exception {
    IWorkbenchPage page = UiTests.trajlabPage();
    RunsView runs = (RunsView) page.showView(RunsView.ID);
    runs.refresh();
    runs.getViewer().setSelection(new StructuredSelection(listed(runs)), true);
    Menu menu = runs.getViewer().getControl().getMenu();
    assertNotNull(menu, "the Runs view has no context menu");
    menu.notifyListeners(SWT.Show, new Event());
    List<String> labels = Arrays.stream(menu.getItems()).map(MenuItem::getText).toList();
    // the views first, then the actions on the run (RunActions: cancel, rename, delete, open folder, show spec)
    List<String> views = labels.stream().filter(l -> l.startsWith("Show ") && !l.equals(RunActions.SHOW_SPEC)).toList();
    assertEquals(Set.of("Show Walk", "Show Curvature", "Show Landscape", "Show Spectrum", "Show Embedding", "Show Noise"),
        Set.copyOf(views));
    assertEquals(6, views.size(), labels.toString());
    assertEquals(views, labels.subList(0, 6), labels.toString());
    assertTrue(labels.contains(RunsView.RESTART_ACTION), labels.toString());
    IWorkbenchPage p = page;
    if (p.findViewReference(InstrumentView.ID, "spectrum") != null) {
      p.hideView(p.findViewReference(InstrumentView.ID, "spectrum"));
    }
    menu.getItem(labels.indexOf("Show Spectrum")).notifyListeners(SWT.Selection, new Event());
    UiTests.spinUntil(() -> p.findViewReference(InstrumentView.ID, "spectrum") != null, Duration.ofSeconds(5),
        "Show Spectrum to open the Spectrum view");
    menu.notifyListeners(SWT.Hide, new Event());
  }

  /** the trajlab page in a 1400×870 window, the run selected in the Runs view, the view of {@code group} in front */
  private static InstrumentView open(String group) throws Exception {
    IWorkbenchPage page = UiTests.trajlabPage();
    Shell shell = page.getWorkbenchWindow().getShell();
    shell.setBounds(0, 0, 1400, 870);
    RunsView runs = (RunsView) page.showView(RunsView.ID);
    runs.refresh();
    runs.getViewer().setSelection(new StructuredSelection(listed(runs)), true);
    InstrumentView view = (InstrumentView) page.showView(InstrumentView.ID, group, IWorkbenchPage.VIEW_ACTIVATE);
    UiTests.spinUntil(() -> view.getRun() != null && view.getRun().dir().equals(run.dir()), Duration.ofSeconds(5),
        "the " + group + " view to follow the selected run");
    UiTests.spinUntil(() -> !view.isFollowing(), Duration.ofSeconds(10), "the view to read the whole (DONE) run");
    assertEquals(view.getGroup().name(), view.getPartName());
    return view;
  }

  private static RunFolder listed(RunsView view) {
    return view.getRuns().stream().filter(r -> r.dir().equals(run.dir())).findFirst()
        .orElseThrow(() -> new AssertionError("the Runs view does not list " + run.dir()));
  }

  /**
   * every lines chart of the view draws exactly metrics.csv: each declared series with rows is an SWTChart series
   * (its id the label) whose x is the step (or step + index, or step + another quantity) and y the value, in file
   * order; a series without rows is not drawn
   */
  private static void assertLinesEqualCsv(InstrumentView view) {
    int checked = 0;
    for (ChartDescriptor d : view.getGroup().charts()) {
      if (d.kind() != ChartKind.LINES) {
        continue;
      }
      Chart chart = view.getCharts().get(d.id());
      for (SeriesDescriptor s : d.series()) {
        List<String[]> rows = rows(s.probe(), s.quantity());
        if (s.index() != null) { // one index of the quantity over the steps
          rows = rows.stream().filter(f -> !f[4].isEmpty() && Double.parseDouble(f[4]) == s.index()).toList();
        }
        if (d.logY()) { // log10 of the values on a log axis; values ≤ 0 have no place there
          rows = rows.stream().filter(f -> Double.parseDouble(f[5]) > 0).toList();
        }
        ISeries<?> series = chart.getSeriesSet().getSeries(s.label());
        if (rows.isEmpty()) {
          assertNull(series, d.id() + ": a series without rows is drawn: " + s.label());
          continue;
        }
        assertNotNull(series, d.id() + " does not draw " + s.label());
        Map<Long, Double> offsets = new HashMap<>();
        if (s.xMode() == SeriesDescriptor.XMode.STEP_PLUS_QUANTITY) {
          rows(s.probe(), s.xQuantity()).forEach(f -> offsets.put(Long.parseLong(f[0]), Double.parseDouble(f[5])));
        }
        double[] x = rows.stream().mapToDouble(f -> switch (s.xMode()) {
          case STEP -> Long.parseLong(f[0]);
          case STEP_PLUS_INDEX -> Long.parseLong(f[0]) + Double.parseDouble(f[4]);
          case STEP_PLUS_QUANTITY -> Long.parseLong(f[0]) + offsets.get(Long.parseLong(f[0]));
        }).toArray();
        assertArrayEquals(x, series.getXSeries(), d.id() + " " + s.label() + " x");
        assertArrayEquals(rows.stream().mapToDouble(f -> d.logY() ? Math.log10(Double.parseDouble(f[5]))
            : Double.parseDouble(f[5])).toArray(), series.getYSeries(),
            d.id() + " " + s.label() + " y");
        checked++;
      }
    }
    assertTrue(checked >= 3, "only " + checked + " series compared");
  }

  /**
   * every chart of the view, scrolled to, is shown whole with a plot area at least {@value #MIN_PLOT_HEIGHT} px high
   * (and 250 px wide) at 1400×870, and a screenshot of the window as it opens goes to {@code png}
   */
  static void assertLegible(InstrumentView view, String png) throws Exception {
    assertLegible(view, png, Set.of());
  }

  /** as {@link #assertLegible(InstrumentView, String)}, the charts {@code empty} expected to say why they are empty */
  static void assertLegible(InstrumentView view, String png, Set<String> empty) throws Exception {
    EventLoop.spin(Duration.ofMillis(500));
    Path shot = EventLoop.screenshot(view.getSite().getShell(), png);
    StringBuilder sizes = new StringBuilder();
    List<String> outside = new ArrayList<>();
    int points = 0;
    for (Map.Entry<String, ChartPanel> e : view.getPanels().entrySet()) {
      view.revealChart(e.getKey());
      EventLoop.spin(Duration.ofMillis(300));
      assertTrue(view.isShown(e.getKey()), e.getKey() + " is not shown after scrolling to it");
      Point size = e.getValue().getChart().getPlotArea().getSize();
      sizes.append(String.format(Locale.ROOT, " %s %dx%d", e.getKey(), size.x, size.y));
      assertTrue(size.y >= MIN_PLOT_HEIGHT, e.getKey() + ": the plot area is " + size.y + " px high");
      assertTrue(size.x >= 250, e.getKey() + ": the plot area is " + size.x + " px wide");
      if (empty.contains(e.getKey())) {
        assertNotNull(e.getValue().getNote(), e.getKey() + " has rows to draw");
        continue;
      }
      assertNull(e.getValue().getNote(), e.getKey() + " says it has nothing to draw: " + e.getValue().getNote());
      points += PlotBounds.check(e.getValue(), true, outside);
    }
    System.out.println("RealRunViewsTest: plot areas of " + view.getGroup().id() + ":" + sizes);
    assertTrue(outside.isEmpty(), view.getGroup().name() + " view: " + outside.size() + " of " + points
        + " plotted points lie outside their axes:\n  " + String.join("\n  ", outside));
    assertNull(view.getMessage(), "the view shows a sentence instead of its charts");
    view.revealChart(view.getPanels().keySet().iterator().next()); // back to the top
    assertTrue(Files.size(shot) > 20_000, png + " is only " + Files.size(shot) + " bytes");
  }

  /**
   * the y axis plots log10 values over the whole decades around {@code min}..{@code max} (at most {@code decades}
   * below the top) and a margin of 5% of them beyond the outer two, with ticks (and so grid lines) at decades only
   */
  private static void assertDecadeAxis(Chart chart, double min, double max, int decades) {
    IAxis y = chart.getAxisSet().getYAxis(0);
    double top = Math.ceil(Math.log10(max) - 0.02);
    double bottom = Math.max(Math.floor(Math.log10(min) + 0.02), top - decades);
    double margin = 0.05 * (top - bottom);
    assertEquals(top + margin, y.getRange().upper, 1e-12, "the top decade and the margin above it");
    assertEquals(bottom - margin, y.getRange().lower, 1e-12, "the bottom decade and the margin below it");
    double[] ticks = y.getTick().getTickLabelValues();
    assertTrue(ticks.length >= 2, Arrays.toString(ticks));
    TreeSet<String> labels = new TreeSet<>();
    for (double t : ticks) {
      assertEquals(Math.rint(t), t, 1e-9, "a tick between decades: " + Arrays.toString(ticks));
      labels.add(LogScale.tickLabel(t));
    }
    System.out.println("RealRunViewsTest: decade labels " + labels);
  }

  /** the rows of (probe, quantity), in file order */
  private static List<String[]> rows(String probe, String quantity) {
    return csv.stream().filter(f -> f[2].equals(probe) && f[3].equals(quantity)).toList();
  }

  private static double value(long step, String quantity, int index) {
    return rows("curvature", quantity).stream()
        .filter(f -> Long.parseLong(f[0]) == step && Double.parseDouble(f[4]) == index).findFirst()
        .map(f -> Double.parseDouble(f[5])).orElseThrow(() -> new AssertionError("no " + quantity + " " + index + " at " + step));
  }

  private static int points(InstrumentView view, String chart, String series) {
    return seriesPoints(view.getCharts().get(chart), series);
  }

  private static int seriesPoints(Chart chart, String id) {
    ISeries<?> s = chart.getSeriesSet().getSeries(id);
    return s == null ? 0 : s.getXSeries().length;
  }
}
