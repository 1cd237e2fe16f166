package org.trajlab.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;

import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swtchart.ILineSeries;
import org.eclipse.swtchart.ISeries;
import org.eclipse.ui.IWorkbenchPage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.run.RunOutcome;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.api.store.RunStore;
import org.trajlab.testing.Fixtures;
import org.trajlab.testing.ui.EventLoop;
import org.trajlab.ui.CompareView;
import org.trajlab.ui.RunsView;
import org.trajlab.ui.UiPreferences;
import org.trajlab.ui.charts.ChartExport;
import org.trajlab.ui.charts.ChartPanel;
import org.trajlab.ui.charts.ComparePanel;
import org.trajlab.ui.charts.Colormap;
import org.w3c.dom.Document;

/**
 * The Compare view and chart export on real runs: three 40-update runs of the default MLP on Fashion-MNIST (lr 0.05
 * and S 100, lr 0.2 and S 100, lr 0.2 and S 50). Selected together in the Runs view, "Compare runs" opens the Compare
 * view on them: the legend names only the fields that differ (lr and batchSize; two runs that differ in lr alone are
 * "lr 0.05" and "lr 0.2"), every plotted point of the chosen quantity is the run's metrics.csv row, the curves are
 * coloured by η, S or η/S on the colour scale, legible at 1400×870. The chart exports as a PNG that ImageIO reads, an
 * SVG that an XML parser reads with a polyline per run, and a CSV whose rows are the plotted points.
 */
class CompareViewTest {
  static final int STEPS = 40;

  @TempDir
  static Path temp;
  static Path root;
  static RunFolder a;
  static RunFolder b;
  static RunFolder c;

  @BeforeAll
  static void threeRuns() throws Exception {
    root = temp.resolve("runs");
    a = run("slow", 0.05, 100);
    b = run("fast", 0.2, 100);
    c = run("fastsmall", 0.2, 50);
    UiPreferences.store().setValue(UiPreferences.RUNS_ROOT, root.toString());
  }

  private static RunFolder run(String name, double lr, int batchSize) throws Exception {
    RunSpec spec = UiTests.smallSpec(name, STEPS);
    spec.data.dir = Fixtures.fashionMnistDir().toString();
    spec.data.testSize = 2000;
    spec.optimizer.lr = lr;
    spec.training.batchSize = batchSize;
    RunFolder f = new RunStore(root).newRun(spec.name);
    long start = System.nanoTime();
    RunOutcome outcome = UiTests.runner().run(spec, f, RunMonitor.NONE);
    assertEquals(RunState.DONE, outcome.state(), outcome.message());
    System.out.printf(Locale.ROOT, "CompareViewTest: %s took %.1f s%n", name, (System.nanoTime() - start) / 1e9);
    return f;
  }

  @Test
  void threeRunsAreComparedAndTheChartExports() throws Exception {
    IWorkbenchPage page = UiTests.trajlabPage();
    page.getWorkbenchWindow().getShell().setBounds(0, 0, 1400, 870);
    RunsView runs = (RunsView) page.showView(RunsView.ID);
    List<String> labels = menuLabels(runs, a, b, c);
    assertTrue(labels.contains(RunsView.COMPARE_ACTION), labels.toString());
    Menu menu = runs.getViewer().getControl().getMenu();
    menu.getItem(labels.indexOf(RunsView.COMPARE_ACTION)).notifyListeners(SWT.Selection, new Event());
    menu.notifyListeners(SWT.Hide, new Event());
    UiTests.spinUntil(() -> page.findView(CompareView.ID) instanceof CompareView v && v.getRuns().size() == 3,
        Duration.ofSeconds(10), "the Compare view to open on three runs");
    CompareView view = (CompareView) page.findView(CompareView.ID);
    page.activate(view);

    // the runs in the Runs view's order (newest first), each named by lr and batchSize, the fields that differ
    assertEquals(Set.of(a.dir(), b.dir(), c.dir()), Set.copyOf(view.getRuns().stream().map(RunFolder::dir).toList()));
    for (int i = 0; i < 3; i++) {
      RunFolder r = view.getRuns().get(i);
      String expected = r.dir().equals(a.dir()) ? "lr 0.05, batchSize 100"
          : r.dir().equals(b.dir()) ? "lr 0.2, batchSize 100" : "lr 0.2, batchSize 50";
      assertEquals(expected, view.getLabels().get(i), r.name());
    }
    assertTrue(view.getHeader().contains("optimizer.lr") && view.getHeader().contains("training.batchSize"),
        view.getHeader());
    assertTrue(view.getChoices().get(0).containsAll(List.of("eval", "train")), view.getChoices().toString());

    // eval loss_test (the default) on a log axis: log10 of every recorded value, at its step
    ComparePanel panel = view.getPanel();
    assertNotNull(panel, "no chart");
    assertEquals("loss_test", panel.getDescriptor().series().get(0).quantity());
    assertTrue(panel.getDescriptor().logY(), "a loss is drawn on a log axis by default");
    assertPlotted(view, "eval", "loss_test", true);
    view.setLogY(false);
    assertPlotted(view, "eval", "loss_test", false);
    view.choose("eval", "acc_train_eval", null);
    assertPlotted(view, "eval", "acc_train_eval", false);
    view.choose("train", "loss_batch", null);
    assertPlotted(view, "train", "loss_batch", true);

    // coloured by η: the two runs at 0.2 share the colour; by S: the two at 100 do; by η/S: all three differ
    assertColours(view, "η", run -> run == a ? 0.05 : 0.2);
    assertColours(view, "S", run -> run == c ? 50.0 : 100.0);
    assertColours(view, "η/S", run -> run == a ? 0.05 / 100 : run == b ? 0.2 / 100 : 0.2 / 50);
    view.colourBy("η");

    // two runs that differ in lr alone: the legend says lr
    List<RunFolder> three = List.copyOf(view.getRuns());
    view.showRuns(List.of(b, a));
    assertEquals(List.of("lr 0.2", "lr 0.05"), view.getLabels());
    view.showRuns(three);
    view.choose("eval", "loss_test", null);

    // legible at 1400x870
    EventLoop.spin(Duration.ofMillis(500));
    Path shot = EventLoop.screenshot(view.getSite().getShell(), "compare-view.png");
    panel = view.getPanel();
    Point size = panel.getChart().getPlotArea().getSize();
    System.out.println("CompareViewTest: plot area " + size.x + "x" + size.y);
    assertTrue(size.y >= RealRunViewsTest.MIN_PLOT_HEIGHT, "the plot area is " + size.y + " px high");
    assertTrue(size.x >= 500, "the plot area is " + size.x + " px wide");
    assertNull(panel.getNote(), panel.getNote());
    List<String> outside = new ArrayList<>();
    assertEquals(3 * (STEPS / 10 + 1), PlotBounds.check(panel, true, outside), "points checked");
    assertTrue(outside.isEmpty(), String.join("\n", outside));
    assertTrue(Files.size(shot) > 20_000, "the screenshot is only " + Files.size(shot) + " bytes");

    exportsAsPngSvgAndCsv(panel);
  }

  /** the chart's context menu has the three exports, and each writes a valid file of the plotted points */
  private static void exportsAsPngSvgAndCsv(ChartPanel panel) throws Exception {
    Set<String> entries = Set.copyOf(panel.menuEntryNames());
    assertTrue(entries.containsAll(List.of(ChartExport.PNG, ChartExport.SVG, ChartExport.CSV)), entries.toString());
    // the build's test output keeps the exports beside the screenshots
    Path out = Path.of(System.getProperty("trajlab.test.output", "target/test-output"));
    Path png = out.resolve("compare.png");
    Path svg = out.resolve("compare.svg");
    Path csv = out.resolve("compare.csv");
    ChartExport.export(panel, png, "png");
    ChartExport.export(panel, svg, "svg");
    ChartExport.export(panel, csv, "csv");

    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image, "ImageIO cannot read " + png);
    Point size = panel.getSize();
    assertEquals(size.x, image.getWidth());
    assertEquals(size.y, image.getHeight());
    assertTrue(Files.size(png) > 5_000, "the PNG is only " + Files.size(png) + " bytes");

    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
    assertEquals("svg", doc.getDocumentElement().getTagName());
    assertEquals(3, doc.getElementsByTagName("polyline").getLength(), "one polyline per run");
    assertTrue(doc.getElementsByTagName("text").getLength() > 10, "title, tick labels, legend");
    String svgText = Files.readString(svg);
    for (String label : List.of("lr 0.2, batchSize 50", "lr 0.05, batchSize 100")) {
      assertTrue(svgText.contains(">" + label + "</text>"), "the SVG's legend lacks " + label);
    }
    // every point of every polyline is the pixel of a plotted point
    org.w3c.dom.NodeList lines = doc.getElementsByTagName("polyline");
    for (int i = 0; i < lines.getLength(); i++) {
      String[] pts = ((org.w3c.dom.Element) lines.item(i)).getAttribute("points").split(" ");
      assertEquals(STEPS / 10 + 1, pts.length, "points of polyline " + i);
    }

    List<String> rows = Files.readAllLines(csv);
    assertEquals("series,x,y", rows.get(0));
    List<String> expected = new ArrayList<>();
    for (ISeries<?> s : panel.getChart().getSeriesSet().getSeries()) {
      for (int i = 0; i < s.getXSeries().length; i++) {
        expected.add(s.getId() + "|" + s.getXSeries()[i] + "|" + s.getYSeries()[i]);
      }
    }
    assertEquals(3 * (STEPS / 10 + 1), rows.size() - 1);
    for (int i = 1; i < rows.size(); i++) {
      String[] f = parseCsvLine(rows.get(i));
      String[] e = expected.get(i - 1).split("\\|");
      assertEquals(e[0], f[0], "row " + i);
      assertEquals(Double.parseDouble(e[1]), Double.parseDouble(f[1]), "row " + i + " x");
      // a log axis plots log10 of the value; the CSV has the value
      assertEquals(Double.parseDouble(e[2]), Math.log10(Double.parseDouble(f[2])), 1e-12, "row " + i + " y");
    }
    System.out.println("CompareViewTest: exported " + Files.size(png) + " bytes of PNG, " + Files.size(svg)
        + " of SVG, " + (rows.size() - 1) + " CSV rows");
  }

  /** a CSV line of three fields, the first possibly quoted */
  private static String[] parseCsvLine(String line) {
    if (line.startsWith("\"")) {
      int end = line.indexOf("\",", 1);
      String first = line.substring(1, end).replace("\"\"", "\"");
      String[] rest = line.substring(end + 2).split(",");
      return new String[] { first, rest[0], rest[1] };
    }
    return line.split(",");
  }

  /** every run's series is its (probe, quantity) rows of metrics.csv, at their steps, log10 on a log axis */
  private static void assertPlotted(CompareView view, String probe, String quantity, boolean log) throws Exception {
    ComparePanel panel = view.getPanel();
    assertEquals(log, panel.getDescriptor().logY(), quantity + ": log y");
    for (int i = 0; i < view.getRuns().size(); i++) {
      RunFolder r = view.getRuns().get(i);
      List<double[]> recorded = new ArrayList<>();
      for (String line : Files.readAllLines(r.file(RunFolder.METRICS))) {
        String[] f = line.split(",", -1);
        if (f[2].equals(probe) && f[3].equals(quantity) && f[4].isEmpty()) {
          recorded.add(new double[] { Double.parseDouble(f[0]), Double.parseDouble(f[5]) });
        }
      }
      assertTrue(recorded.size() >= STEPS / 10, r.name() + " has " + recorded.size() + " " + quantity + " rows");
      ISeries<?> s = panel.getChart().getSeriesSet().getSeries(view.getLabels().get(i));
      assertNotNull(s, "no curve " + view.getLabels().get(i));
      assertArrayEquals(recorded.stream().mapToDouble(p -> p[0]).toArray(), s.getXSeries(), r.name() + " steps");
      double[] y = recorded.stream().mapToDouble(p -> log ? Math.log10(p[1]) : p[1]).toArray();
      assertArrayEquals(y, s.getYSeries(), r.name() + " " + quantity);
    }
    System.out.println("CompareViewTest: " + probe + "/" + quantity + " plotted as recorded for "
        + view.getRuns().size() + " runs");
  }

  /** the curves' colours are the colour map's at log10 of {@code values}, the top of the scale beyond the largest */
  private static void assertColours(CompareView view, String colouring,
      java.util.function.ToDoubleFunction<RunFolder> value) {
    double[] values = view.getRuns().stream()
        .mapToDouble(r -> value.applyAsDouble(r.dir().equals(a.dir()) ? a : r.dir().equals(b.dir()) ? b : c)).toArray();
    view.colourBy(colouring);
    ComparePanel panel = view.getPanel();
    assertTrue(panel.coloursByValue(), colouring + " differs between the runs");
    double lo = Arrays.stream(values).map(Math::log10).min().getAsDouble();
    double hi = Arrays.stream(values).map(Math::log10).max().getAsDouble();
    double top = lo + (hi - lo) / ComparePanel.TOP;
    for (int i = 0; i < values.length; i++) {
      ILineSeries<?> s = (ILineSeries<?>) panel.getChart().getSeriesSet().getSeries(view.getLabels().get(i));
      RGB expected = Colormap.rgb(Math.log10(values[i]), lo, top);
      assertEquals(expected, s.getLineColor().getRGB(), colouring + ": colour of " + view.getLabels().get(i));
    }
    assertEquals(colouring, panel.getScale().getTitle());
    // runs of the same colour are told apart by their line styles
    for (int i = 0; i < values.length; i++) {
      for (int j = i + 1; j < values.length; j++) {
        if (values[i] == values[j]) {
          ILineSeries<?> si = (ILineSeries<?>) panel.getChart().getSeriesSet().getSeries(view.getLabels().get(i));
          ILineSeries<?> sj = (ILineSeries<?>) panel.getChart().getSeriesSet().getSeries(view.getLabels().get(j));
          assertTrue(si.getLineStyle() != sj.getLineStyle(), colouring + ": two runs of one colour, both "
              + si.getLineStyle());
        }
      }
    }
  }

  private static List<String> menuLabels(RunsView runs, RunFolder... selected) {
    runs.refresh();
    List<RunFolder> listed = new ArrayList<>();
    for (RunFolder s : selected) {
      listed.add(runs.getRuns().stream().filter(r -> r.dir().equals(s.dir())).findFirst()
          .orElseThrow(() -> new AssertionError("the Runs view does not list " + s.dir())));
    }
    runs.getViewer().setSelection(new StructuredSelection(listed), true);
    Menu menu = runs.getViewer().getControl().getMenu();
    menu.notifyListeners(SWT.Show, new Event());
    return Arrays.stream(menu.getItems()).map(MenuItem::getText).toList();
  }
}
