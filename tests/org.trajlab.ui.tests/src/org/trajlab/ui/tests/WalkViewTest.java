package org.trajlab.ui.tests;

import org.trajlab.testing.ui.EventLoop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swtchart.Chart;
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
import org.trajlab.api.store.RunStore;
import org.trajlab.ui.InstrumentView;
import org.trajlab.ui.charts.HeatmapPanel;
import org.trajlab.ui.RunsView;
import org.trajlab.ui.UiPreferences;

/**
 * A real 30-update run with the walk probe on every update, shown in the workbench: the Runs view lists it as DONE
 * and the Walk instrument view draws exactly the numbers of its metrics.csv.
 */
class WalkViewTest {
  private static final int STEPS = 30;
  private static final int WALK_POINTS = 10; // interior points; the walk adds both ends

  @TempDir
  static Path temp;
  static Path root;
  static RunFolder run;

  @BeforeAll
  static void runSmallWalkExperiment() throws Exception {
    RunSpec spec = UiTests.smallSpec("uitest", STEPS);
    ProbeSpec walk = new ProbeSpec("walk", ScheduleSpec.every(1));
    walk.params.put("points", WALK_POINTS);
    spec.probes.add(walk);
    root = temp.resolve("runs");
    run = new RunStore(root).newRun("uitest");
    RunOutcome outcome = UiTests.runner().run(spec, run, RunMonitor.NONE);
    assertEquals(RunState.DONE, outcome.state(), outcome.message());
    UiPreferences.store().setValue(UiPreferences.RUNS_ROOT, root.toString());
  }

  @Test
  void runsViewListsTheRunAsDone() throws Exception {
    RunsView view = (RunsView) UiTests.trajlabPage().showView(RunsView.ID);
    view.refresh();
    RunFolder listed = listed(view);
    assertEquals(RunState.DONE, view.status(listed).state);
    TableItem row = null;
    for (TableItem item : view.getViewer().getTable().getItems()) {
      if (item.getText(0).equals(run.name())) {
        row = item;
      }
    }
    assertNotNull(row, "no table row for " + run.name());
    assertEquals("DONE", row.getText(1));
    assertEquals("100 %", row.getText(2));
    assertEquals(STEPS + "/" + STEPS, row.getText(3));
  }

  @Test
  void walkViewDrawsExactlyTheMetricsOfTheSelectedRun() throws Exception {
    IWorkbenchPage page = UiTests.trajlabPage();
    RunsView runs = (RunsView) page.showView(RunsView.ID);
    runs.refresh();
    InstrumentView view = (InstrumentView) page.showView(InstrumentView.ID, "walk", IWorkbenchPage.VIEW_ACTIVATE);
    runs.getViewer().setSelection(new StructuredSelection(listed(runs)), true); // the view follows the selection
    assertEquals("Walk", view.getPartName());
    UiTests.spinUntil(() -> view.getRun() != null, Duration.ofSeconds(5), "the walk view to follow the selection");
    assertEquals(run.dir(), view.getRun().dir());

    Map<String, double[][]> expected = expectedFromCsv(run.file(RunFolder.METRICS));
    assertEquals(STEPS * (WALK_POINTS + 2), expected.get("loss_interp")[0].length);
    assertEquals(STEPS, expected.get("valley_floor")[0].length);
    assertEquals(STEPS - 1, expected.get("cos_consecutive_grad")[0].length);
    assertEquals(STEPS, expected.get("dist_from_init")[0].length);

    UiTests.spinUntil(() -> drawn(view, expected), Duration.ofSeconds(20), "the walk view to draw the run");
    assertEquals(Set.of("walk.interp", "walk.heat", "walk.cos", "walk.dist"), view.getCharts().keySet());
    Set<String> quantitiesDrawn = new HashSet<>();
    for (ChartDescriptor d : view.getGroup().charts()) {
      if (d.kind() != ChartKind.LINES) {
        continue; // the heat map: below
      }
      Chart chart = view.getCharts().get(d.id());
      assertEquals(d.title(), chart.getTitle().getText());
      assertEquals(d.xLabel(), chart.getAxisSet().getXAxis(0).getTitle().getText());
      assertEquals(d.yLabel(), chart.getAxisSet().getYAxis(0).getTitle().getText());
      assertEquals(d.series().size(), chart.getSeriesSet().getSeries().length, d.id());
      for (SeriesDescriptor s : d.series()) {
        ISeries<?> series = chart.getSeriesSet().getSeries(s.label());
        assertNotNull(series, "chart " + d.id() + " has no series '" + s.label() + "'");
        double[][] xy = expected.get(s.quantity());
        assertArrayEquals(xy[0], series.getXSeries(), s.quantity() + " x");
        assertArrayEquals(xy[1], series.getYSeries(), s.quantity() + " y");
        quantitiesDrawn.add(s.quantity());
      }
    }
    assertEquals(expected.keySet(), quantitiesDrawn);

    // the heat map: loss_interp over the updates (x) and alpha (y), cell for cell the rows of metrics.csv
    HeatmapPanel heat = (HeatmapPanel) view.getPanels().get("walk.heat");
    assertHeatmapEqualsCsv(heat, run.file(RunFolder.METRICS), STEPS, WALK_POINTS + 2);

    Path png = screenshot(page.getWorkbenchWindow().getShell(), "walk-view.png");
    assertTrue(Files.size(png) > 20_000, "the screenshot is only " + Files.size(png) + " bytes");
  }

  private static RunFolder listed(RunsView view) {
    return view.getRuns().stream().filter(r -> r.dir().equals(run.dir())).findFirst()
        .orElseThrow(() -> new AssertionError("the Runs view does not list " + run.dir()));
  }

  private static boolean drawn(InstrumentView view, Map<String, double[][]> expected) {
    for (ChartDescriptor d : view.getGroup().charts()) {
      if (d.kind() == ChartKind.HEATMAP) {
        if (((HeatmapPanel) view.getPanels().get(d.id())).getData().steps().length < STEPS) return false;
        continue;
      }
      for (SeriesDescriptor s : d.series()) {
        ISeries<?> series = view.getCharts().get(d.id()).getSeriesSet().getSeries(s.label());
        if (series == null || series.getXSeries().length < expected.get(s.quantity())[0].length) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * x and y of each walk quantity, read from metrics.csv with a plain split, in file order: the interpolation at
   * step + alpha, the valley floor at step + valley_alpha, the rest at the step
   */
  static Map<String, double[][]> expectedFromCsv(Path csv) throws Exception {
    List<String[]> walk = new ArrayList<>();
    List<String> lines = Files.readAllLines(csv);
    assertEquals("step,epoch,probe,quantity,index,value", lines.get(0));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      assertEquals(6, f.length, line);
      if (f[2].equals("walk")) {
        walk.add(f);
      }
    }
    Map<Long, Double> valleyAlpha = new HashMap<>();
    for (String[] f : walk) {
      if (f[3].equals("valley_alpha")) {
        valleyAlpha.put(Long.parseLong(f[0]), Double.parseDouble(f[5]));
      }
    }
    Map<String, double[][]> expected = new LinkedHashMap<>();
    expected.put("loss_interp", series(walk, "loss_interp", f -> Long.parseLong(f[0]) + Double.parseDouble(f[4])));
    expected.put("valley_floor", series(walk, "valley_floor",
        f -> Long.parseLong(f[0]) + valleyAlpha.get(Long.parseLong(f[0]))));
    expected.put("cos_consecutive_grad", series(walk, "cos_consecutive_grad", f -> Long.parseLong(f[0])));
    expected.put("dist_from_init", series(walk, "dist_from_init", f -> Long.parseLong(f[0])));
    return expected;
  }

  private static double[][] series(List<String[]> rows, String quantity, ToDoubleFunction<String[]> x) {
    List<String[]> q = rows.stream().filter(f -> f[3].equals(quantity)).toList();
    double[][] xy = new double[2][q.size()];
    for (int i = 0; i < q.size(); i++) {
      xy[0][i] = x.applyAsDouble(q.get(i));
      xy[1][i] = Double.parseDouble(q.get(i)[5]);
    }
    return xy;
  }

  /**
   * the heat map holds loss_interp of metrics.csv (read with a plain split) at every (step, alpha), {@code steps}
   * walked updates by {@code points} alphas, and paints each cell in its colour: the pixel at a cell's centre has
   * the colour map's colour of that value
   */
  static void assertHeatmapEqualsCsv(HeatmapPanel heat, Path csv, int steps, int points) throws Exception {
    Map<Long, Map<Double, Double>> grid = new java.util.TreeMap<>();
    List<String> lines = Files.readAllLines(csv);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      if (f[2].equals("walk") && f[3].equals("loss_interp")) {
        grid.computeIfAbsent(Long.parseLong(f[0]), k -> new java.util.TreeMap<>()).put(Double.parseDouble(f[4]),
            Double.parseDouble(f[5]));
      }
    }
    org.trajlab.api.chart.HeatmapData data = heat.getData();
    assertEquals(steps, data.steps().length, "heat map columns");
    assertEquals(points, data.indices().length, "heat map rows");
    int i = 0;
    for (Map.Entry<Long, Map<Double, Double>> column : grid.entrySet()) {
      assertEquals(column.getKey().doubleValue(), data.steps()[i], "step of column " + i);
      assertArrayEquals(column.getValue().keySet().stream().mapToDouble(Double::doubleValue).toArray(), data.indices(),
          "alphas at step " + column.getKey());
      assertArrayEquals(column.getValue().values().stream().mapToDouble(Double::doubleValue).toArray(), data.values()[i],
          "losses at step " + column.getKey());
      i++;
    }
    assertNull(heat.getNote(), "the heat map says it has nothing to draw");
    assertNull(heat.hoverText(-50, -50), "hover outside the cells");
    // the painted colours, sampled at three cells' centres
    Chart chart = heat.getChart();
    org.eclipse.swt.widgets.Control plot = chart.getPlotArea().getControl();
    plot.redraw();
    EventLoop.spin(Duration.ofMillis(500));
    Point size = plot.getSize();
    Image image = new Image(plot.getDisplay(), size.x, size.y);
    GC gc = new GC(plot);
    try {
      gc.copyArea(image, 0, 0);
      ImageData pixels = image.getImageData();
      int[][] cells = { { 0, 0 }, { data.steps().length / 2, data.indices().length / 2 },
          { data.steps().length - 1, data.indices().length - 1 } };
      for (int[] c : cells) {
        Point centre = heat.cellCentre(c[0], c[1]);
        org.eclipse.swt.graphics.RGB painted = pixels.palette.getRGB(pixels.getPixel(centre.x, centre.y));
        assertEquals(heat.cellColor(c[0], c[1]), painted, "the colour of cell " + c[0] + "," + c[1] + " at " + centre);
        assertEquals(String.format(java.util.Locale.ROOT, "step %d, alpha = %.4g, loss = %.6g", (long) data.steps()[c[0]],
            data.indices()[c[1]], data.values()[c[0]][c[1]]), heat.hoverText(centre.x, centre.y), "hover over a cell");
      }
    } finally {
      gc.dispose();
      image.dispose();
    }
  }

  /** the shell full-screen as the screen shows it, saved as PNG under ${trajlab.test.output} */
  static Path screenshot(Shell shell, String name) throws Exception {
    shell.setBounds(shell.getDisplay().getPrimaryMonitor().getClientArea());
    return EventLoop.screenshot(shell, name);
  }
}
