package org.trajlab.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swtchart.Chart;
import org.eclipse.swtchart.ISeries;
import org.eclipse.ui.IWorkbenchPage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlab.api.chart.ChartDescriptor;
import org.trajlab.api.chart.ChartKind;
import org.trajlab.api.chart.HeatmapData;
import org.trajlab.api.chart.SeriesDescriptor;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.run.RunOutcome;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.ScheduleSpec;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.api.store.RunStore;
import org.trajlab.testing.Fixtures;
import org.trajlab.testing.ui.EventLoop;
import org.trajlab.ui.InstrumentView;
import org.trajlab.ui.RunsView;
import org.trajlab.ui.UiPreferences;
import org.trajlab.ui.charts.ChartPanel;
import org.trajlab.ui.charts.DensityPanel;
import org.trajlab.ui.charts.HeatmapPanel;

/**
 * The views of paper 003's probes on a real run: 300 updates of the default MLP on Fashion-MNIST (1,000 train-eval
 * and 2,000 test examples, eval rows every 50) with the averaging probe (EMA, SWA from update 100, two- and
 * three-point averages 50 updates apart, evaluated every 50), the single-step scan at four updates and fixed-batch
 * side trips of 10 steps at three. In a 1400×870 window the Averaging, Step-size scan and Side trips views draw every
 * row of metrics.csv they declare (lines, the scan and the trip at a chosen update, heat maps), every plot area
 * legible and every point inside its axes; screenshots go to target/test-output.
 */
class Paper003ViewsTest {
  static final int STEPS = 300;
  static final List<Long> SCAN_STEPS = List.of(0L, 100L, 200L, 299L);
  static final List<Long> TRIP_STEPS = List.of(50L, 150L, 250L);
  static final int SCAN_POINTS = 21;
  static final int TRIP_STEPS_EACH = 10;

  @TempDir
  static Path temp;
  static Path root;
  static RunFolder run;
  /** metrics.csv split at commas, header left out */
  static List<String[]> csv;

  @BeforeAll
  static void runTheEngine() throws Exception {
    RunSpec spec = UiTests.smallSpec("paper003", STEPS);
    spec.data.dir = Fixtures.fashionMnistDir().toString();
    spec.data.testSize = 2000;
    spec.eval.every = 50;
    ProbeSpec averaging = new ProbeSpec("averaging", ScheduleSpec.every(50));
    averaging.params.put("beta", 0.98);
    averaging.params.put("swaStart", 100);
    averaging.params.put("swaEvery", 10);
    averaging.params.put("k", 50);
    averaging.params.put("multiN", 3);
    ScheduleSpec scan = new ScheduleSpec();
    scan.steps = SCAN_STEPS;
    ProbeSpec lrscan = new ProbeSpec("lrscan", scan);
    lrscan.params.put("points", SCAN_POINTS);
    ScheduleSpec trips = new ScheduleSpec();
    trips.steps = TRIP_STEPS;
    ProbeSpec sidetrip = new ProbeSpec("sidetrip", trips);
    sidetrip.params.put("steps", TRIP_STEPS_EACH);
    spec.probes.add(averaging);
    spec.probes.add(lrscan);
    spec.probes.add(sidetrip);
    root = temp.resolve("runs");
    run = new RunStore(root).newRun(spec.name);
    long start = System.nanoTime();
    RunOutcome outcome = UiTests.runner().run(spec, run, RunMonitor.NONE);
    assertEquals(RunState.DONE, outcome.state(), outcome.message());
    System.out.printf(Locale.ROOT, "Paper003ViewsTest: the run took %.1f s%n", (System.nanoTime() - start) / 1e9);
    List<String> lines = Files.readAllLines(run.file(RunFolder.METRICS));
    csv = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      assertEquals(6, f.length, line);
      csv.add(f);
    }
    UiPreferences.store().setValue(UiPreferences.RUNS_ROOT, root.toString());
  }

  /**
   * the Averaging view: θ_t's eval rows (every 50 updates) and each average's loss, accuracy and distance at the
   * schedule's steps, every point the csv's number
   */
  @Test
  void averagingViewDrawsTheRealRunLegibly() throws Exception {
    InstrumentView view = open("averaging");
    for (String avg : List.of("ema", "swa", "twopoint", "multipoint")) {
      assertTrue(rows("averaging", "loss_" + avg + "_test").size() >= 2, "the run has too few " + avg + " rows");
    }
    UiTests.spinUntil(() -> points(view, "averaging.loss_test", "EMA") == rows("averaging", "loss_ema_test").size(),
        Duration.ofSeconds(20), "the averaging view to draw the run");
    int compared = assertLinesEqualCsv(view);
    assertEquals(5 * 4 + 4 - 0, compared, "series compared (4 charts of θ_t and 4 averages, 4 distances)");
    RealRunViewsTest.assertLegible(view, "real-averaging-view.png");
    printTitles(view);
  }

  /**
   * the Step-size scan view: L_B, L_B′ and L_E over λ at the chosen update (the latest, then the first), the best λ
   * and the smallest losses over the updates, and both heat maps over update × λ
   */
  @Test
  void stepSizeScanViewDrawsTheRealRunLegibly() throws Exception {
    InstrumentView view = open("lrscan");
    DensityPanel scan = (DensityPanel) view.getPanels().get("lrscan.scan");
    long last = SCAN_STEPS.get(SCAN_STEPS.size() - 1);
    UiTests.spinUntil(() -> Long.valueOf(last).equals(scan.getStep()), Duration.ofSeconds(20), "the scan view to draw the run");
    assertNull(scan.getSourceCombo(), "one probe: no Probe selector");
    assertEquals(SCAN_STEPS.stream().map(t -> "step " + t).toList(), List.of(scan.getStepCombo().getItems()));
    assertEquals("Loss after one step of size λ at step " + last, scan.getChart().getTitle().getText());
    assertDensityEqualsCsv(scan, last, SCAN_POINTS);
    scan.getStepCombo().select(0);
    scan.getStepCombo().notifyListeners(SWT.Selection, new Event());
    EventLoop.spin(Duration.ofMillis(300));
    assertEquals(Long.valueOf(0), scan.getStep());
    assertDensityEqualsCsv(scan, 0, SCAN_POINTS);
    assertEquals(6, assertLinesEqualCsv(view), "series compared (best λ and smallest loss of B, B′, E)");
    assertHeatmapEqualsCsv((HeatmapPanel) view.getPanels().get("lrscan.heat.batch"), "lrscan", "loss_train_batch",
        SCAN_STEPS.size(), SCAN_POINTS);
    assertHeatmapEqualsCsv((HeatmapPanel) view.getPanels().get("lrscan.heat.eval"), "lrscan", "loss_train_eval",
        SCAN_STEPS.size(), SCAN_POINTS);
    RealRunViewsTest.assertLegible(view, "real-lrscan-view.png");
    printTitles(view);
  }

  /**
   * the Side trips view: L_B, L_B′ and L_E after each of the 10 side steps of the chosen trip, the losses at each
   * trip's end, the gradient cosines, the distance between consecutive endpoints and the loss on the line between
   * them (a heat map over update × α, from the second trip on)
   */
  @Test
  void sideTripsViewDrawsTheRealRunLegibly() throws Exception {
    InstrumentView view = open("sidetrip");
    DensityPanel trip = (DensityPanel) view.getPanels().get("sidetrip.trip");
    long last = TRIP_STEPS.get(TRIP_STEPS.size() - 1);
    UiTests.spinUntil(() -> Long.valueOf(last).equals(trip.getStep()), Duration.ofSeconds(20), "the trips view to draw the run");
    assertDensityEqualsCsv(trip, last, TRIP_STEPS_EACH + 1);
    trip.getStepCombo().select(1);
    trip.getStepCombo().notifyListeners(SWT.Selection, new Event());
    EventLoop.spin(Duration.ofMillis(300));
    assertDensityEqualsCsv(trip, TRIP_STEPS.get(1), TRIP_STEPS_EACH + 1);
    assertEquals(6, assertLinesEqualCsv(view), "series compared (3 end losses, 2 cosines, the distance)");
    int interp = new TreeSet<>(rows("sidetrip", "trip_interp_loss_train_eval").stream().map(f -> f[4]).toList()).size();
    assertEquals(7, interp, "the line between endpoints: 5 interior points and both ends");
    assertHeatmapEqualsCsv((HeatmapPanel) view.getPanels().get("sidetrip.interp"), "sidetrip",
        "trip_interp_loss_train_eval", TRIP_STEPS.size() - 1, interp);
    RealRunViewsTest.assertLegible(view, "real-sidetrip-view.png");
    printTitles(view);
  }

  /** prints each chart's title and checks it fits a half-width column (45 characters) */
  private static void printTitles(InstrumentView view) {
    for (ChartDescriptor d : view.getGroup().charts()) {
      assertTrue(d.title().length() <= 45, d.id() + ": the title '" + d.title() + "' is longer than 45 characters");
    }
  }

  /** the curves of {@code panel} at {@code step}: one per declared series, "label at step t", x = index, y = value */
  private static void assertDensityEqualsCsv(DensityPanel panel, long step, int points) {
    ChartDescriptor d = panel.getDescriptor();
    assertEquals(d.series().size(), panel.getChart().getSeriesSet().getSeries().length, "curves at step " + step);
    for (SeriesDescriptor s : d.series()) {
      List<String[]> at = rows(s.probe(), s.quantity()).stream().filter(f -> Long.parseLong(f[0]) == step)
          .filter(f -> !d.logY() || Double.parseDouble(f[5]) > 0 && Double.isFinite(Double.parseDouble(f[5]))).toList();
      assertEquals(points, at.size(), s.quantity() + " at step " + step);
      ISeries<?> series = panel.getChart().getSeriesSet().getSeries(DensityPanel.seriesId(s, step));
      assertNotNull(series, d.id() + " does not draw " + DensityPanel.seriesId(s, step));
      assertArrayEquals(at.stream().mapToDouble(f -> Double.parseDouble(f[4])).toArray(), series.getXSeries(),
          d.id() + " " + s.label() + " grid at step " + step);
      assertArrayEquals(at.stream().mapToDouble(f -> d.logY() ? Math.log10(Double.parseDouble(f[5]))
          : Double.parseDouble(f[5])).toArray(), series.getYSeries(), d.id() + " " + s.label() + " at step " + step);
    }
  }

  /** the heat map's cells are the rows of (probe, quantity): steps × indices, NaN where a cell has no row */
  private static void assertHeatmapEqualsCsv(HeatmapPanel heat, String probe, String quantity, int steps, int indices) {
    assertHeatmapEqualsCsv(heat, csv, probe, quantity, steps, indices);
  }

  /** as above, the rows of (probe, quantity) taken from {@code metrics} (metrics.csv's fields, header left out) */
  static void assertHeatmapEqualsCsv(HeatmapPanel heat, List<String[]> metrics, String probe, String quantity,
      int steps, int indices) {
    TreeMap<Long, TreeMap<Double, Double>> grid = new TreeMap<>();
    TreeSet<Double> all = new TreeSet<>();
    for (String[] f : metrics.stream().filter(f -> f[2].equals(probe) && f[3].equals(quantity)).toList()) {
      grid.computeIfAbsent(Long.parseLong(f[0]), k -> new TreeMap<>()).put(Double.parseDouble(f[4]), Double.parseDouble(f[5]));
      all.add(Double.parseDouble(f[4]));
    }
    HeatmapData data = heat.getData();
    assertEquals(steps, data.steps().length, quantity + ": heat map columns");
    assertEquals(indices, data.indices().length, quantity + ": heat map rows");
    assertArrayEquals(grid.keySet().stream().mapToDouble(Long::doubleValue).toArray(), data.steps(), quantity + " steps");
    assertArrayEquals(all.stream().mapToDouble(Double::doubleValue).toArray(), data.indices(), quantity + " indices");
    int i = 0;
    for (Map.Entry<Long, TreeMap<Double, Double>> column : grid.entrySet()) {
      double[] expected = all.stream().mapToDouble(a -> column.getValue().getOrDefault(a, Double.NaN)).toArray();
      assertArrayEquals(expected, data.values()[i++], quantity + " at step " + column.getKey());
    }
    assertNull(heat.getNote(), quantity + ": the heat map says it has nothing to draw");
  }

  /** every lines chart draws exactly metrics.csv (log10 of the positive values on a log axis); returns the series compared */
  private static int assertLinesEqualCsv(InstrumentView view) {
    int checked = 0;
    for (ChartDescriptor d : view.getGroup().charts()) {
      if (d.kind() != ChartKind.LINES) {
        continue;
      }
      Chart chart = view.getCharts().get(d.id());
      for (SeriesDescriptor s : d.series()) {
        List<String[]> rows = rows(s.probe(), s.quantity());
        if (d.logY()) {
          rows = rows.stream().filter(f -> Double.parseDouble(f[5]) > 0).toList();
        }
        ISeries<?> series = chart.getSeriesSet().getSeries(s.label());
        if (rows.isEmpty()) {
          assertNull(series, d.id() + ": a series without rows is drawn: " + s.label());
          continue;
        }
        assertNotNull(series, d.id() + " does not draw " + s.label());
        assertArrayEquals(rows.stream().mapToDouble(f -> Long.parseLong(f[0])).toArray(), series.getXSeries(),
            d.id() + " " + s.label() + " x");
        assertArrayEquals(rows.stream().mapToDouble(f -> d.logY() ? Math.log10(Double.parseDouble(f[5]))
            : Double.parseDouble(f[5])).toArray(), series.getYSeries(), d.id() + " " + s.label() + " y");
        checked++;
      }
    }
    return checked;
  }

  /** the trajlab page in a 1400×870 window, the run selected in the Runs view, the view of {@code group} in front */
  private static InstrumentView open(String group) throws Exception {
    IWorkbenchPage page = UiTests.trajlabPage();
    Shell shell = page.getWorkbenchWindow().getShell();
    shell.setBounds(0, 0, 1400, 870);
    RunsView runs = (RunsView) page.showView(RunsView.ID);
    runs.refresh();
    RunFolder listed = runs.getRuns().stream().filter(r -> r.dir().equals(run.dir())).findFirst()
        .orElseThrow(() -> new AssertionError("the Runs view does not list " + run.dir()));
    runs.getViewer().setSelection(new StructuredSelection(listed), true);
    InstrumentView view = (InstrumentView) page.showView(InstrumentView.ID, group, IWorkbenchPage.VIEW_ACTIVATE);
    UiTests.spinUntil(() -> view.getRun() != null && view.getRun().dir().equals(run.dir()), Duration.ofSeconds(5),
        "the " + group + " view to follow the selected run");
    UiTests.spinUntil(() -> !view.isFollowing(), Duration.ofSeconds(10), "the view to read the whole (DONE) run");
    assertEquals(view.getGroup().name(), view.getPartName());
    return view;
  }

  private static List<String[]> rows(String probe, String quantity) {
    return csv.stream().filter(f -> f[2].equals(probe) && f[3].equals(quantity)).toList();
  }

  private static int points(InstrumentView view, String chart, String series) {
    ISeries<?> s = view.getCharts().get(chart).getSeriesSet().getSeries(series);
    return s == null ? 0 : s.getXSeries().length;
  }

  static ChartPanel panel(InstrumentView view, String id) {
    return view.getPanels().get(id);
  }
}
