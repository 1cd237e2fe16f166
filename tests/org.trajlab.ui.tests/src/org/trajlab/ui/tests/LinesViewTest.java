package org.trajlab.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swtchart.Chart;
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
import org.trajlab.ui.LineJob;
import org.trajlab.ui.LinesView;
import org.trajlab.ui.RunsView;
import org.trajlab.ui.UiPreferences;
import org.trajlab.ui.charts.ChartPanel;

/**
 * The Lines view and the Runs view's "Line between runs" on real runs: two 100-update runs of the default MLP on
 * Fashion-MNIST with the same seed (so the same train-eval subset) and learning rates 0.05 and 0.2, and a third of
 * another model. Selecting the two runs offers the action (one run does not); it computes the line as a job into
 * {@code <runs root>/lines/A--B-<time>/} and opens the Lines view, which draws exactly lines.csv (log10 of the losses,
 * the accuracies, over α), whose α = 0 and α = 1 are the runs' final eval losses as metrics.csv records them, with the
 * ends marked, legibly at 1400×870. Runs of different models are refused with one sentence in a dialog.
 */
class LinesViewTest {
  static final int STEPS = 100;

  @TempDir
  static Path temp;
  static Path root;
  static RunFolder a;
  static RunFolder b;
  static RunFolder other;

  @BeforeAll
  static void twoRuns() throws Exception {
    root = temp.resolve("runs");
    a = run("lr005", 0.05, STEPS, null);
    b = run("lr02", 0.2, STEPS, null);
    other = run("narrow", 0.1, 2, List.of(50));
    UiPreferences.store().setValue(UiPreferences.RUNS_ROOT, root.toString());
  }

  private static RunFolder run(String name, double lr, long steps, List<Integer> hidden) throws Exception {
    RunSpec spec = UiTests.smallSpec(name, steps);
    spec.data.dir = Fixtures.fashionMnistDir().toString();
    spec.data.testSize = 2000;
    spec.eval.every = 50;
    spec.optimizer.lr = lr;
    if (hidden != null) {
      spec.model.hidden = hidden;
    }
    RunFolder f = new RunStore(root).newRun(spec.name);
    long start = System.nanoTime();
    RunOutcome outcome = UiTests.runner().run(spec, f, RunMonitor.NONE);
    assertEquals(RunState.DONE, outcome.state(), outcome.message());
    System.out.printf(Locale.ROOT, "LinesViewTest: %s took %.1f s%n", name, (System.nanoTime() - start) / 1e9);
    return f;
  }

  @Test
  void lineBetweenTwoSelectedRunsIsDrawnInTheLinesView() throws Exception {
    IWorkbenchPage page = UiTests.trajlabPage();
    page.getWorkbenchWindow().getShell().setBounds(0, 0, 1400, 870);
    RunsView runs = (RunsView) page.showView(RunsView.ID);
    assertEquals(List.of(), menuLabels(runs, a).stream().filter(RunsView.LINE_ACTION::equals).toList(),
        "one selected run is offered a line");
    List<String> labels = menuLabels(runs, a, b);
    assertEquals(RunsView.LINE_ACTION, labels.get(0), labels.toString());
    assertEquals(1, labels.stream().filter(RunsView.LINE_ACTION::equals).count(), labels.toString());
    Menu menu = runs.getViewer().getControl().getMenu();
    menu.getItem(0).notifyListeners(SWT.Selection, new Event());
    menu.notifyListeners(SWT.Hide, new Event());
    UiTests.spinUntil(() -> page.findView(LinesView.ID) instanceof LinesView v && v.getLine() != null
        && Job.getJobManager().find(LineJob.FAMILY).length == 0, Duration.ofMinutes(3), "the line job to open the Lines view");
    LinesView view = (LinesView) page.findView(LinesView.ID);
    Path dir = view.getLine().dir();
    assertEquals(root.resolve(LineJob.LINES_FOLDER), dir.getParent());
    assertTrue(dir.getFileName().toString().startsWith(a.name() + "--" + b.name() + "-"), dir.toString());
    assertEquals(a.name() + "@step-00000100", view.getLine().a());
    assertEquals(b.name() + "@step-00000100", view.getLine().b());
    assertTrue(view.getHeader().contains("η 0.05, S 100") && view.getHeader().contains("η 0.2, S 100"), view.getHeader());

    // every plotted point is lines.csv's: log10 of the loss and the accuracy over α, per set, in file order
    List<String[]> csv = new ArrayList<>();
    List<String> lines = Files.readAllLines(dir.resolve("lines.csv"));
    assertEquals("alpha,set,quantity,value", lines.get(0));
    for (String line : lines.subList(1, lines.size())) {
      csv.add(line.split(",", -1));
    }
    assertEquals(31 * 2 * 2, csv.size(), "31 points of [-1, 2] (-1, -0.9, ..., 2: 0 and 1 among them), 2 sets, loss and acc");
    Chart loss = view.getPanels().get(LinesView.LOSS_CHART).getChart();
    Chart acc = view.getPanels().get(LinesView.ACC_CHART).getChart();
    for (String set : List.of("train-eval", "test")) {
      List<String[]> l = csv.stream().filter(f -> f[1].equals(set) && f[2].equals("loss")).toList();
      List<String[]> c = csv.stream().filter(f -> f[1].equals(set) && f[2].equals("acc")).toList();
      assertEquals(31, l.size());
      ISeries<?> ls = loss.getSeriesSet().getSeries(set);
      ISeries<?> cs = acc.getSeriesSet().getSeries(set);
      assertNotNull(ls, "no loss curve of " + set);
      assertNotNull(cs, "no accuracy curve of " + set);
      assertArrayEquals(l.stream().mapToDouble(f -> Double.parseDouble(f[0])).toArray(), ls.getXSeries(), set + " α");
      assertArrayEquals(l.stream().mapToDouble(f -> Math.log10(Double.parseDouble(f[3]))).toArray(), ls.getYSeries(), set + " log10 loss");
      assertArrayEquals(c.stream().mapToDouble(f -> Double.parseDouble(f[0])).toArray(), cs.getXSeries(), set + " α (acc)");
      assertArrayEquals(c.stream().mapToDouble(f -> Double.parseDouble(f[3])).toArray(), cs.getYSeries(), set + " accuracy");
      // the ends: the runs' final eval rows (a model without batch norm: the same numbers)
      String q = set.replace('-', '_');
      for (Object[] end : new Object[][] { { 0.0, a }, { 1.0, b } }) {
        double alpha = (Double) end[0];
        RunFolder r = (RunFolder) end[1];
        int i = indexOf(ls.getXSeries(), alpha);
        double recordedLoss = recorded(r, "loss_" + q);
        double recordedAcc = recorded(r, "acc_" + q);
        assertEquals(recordedLoss, Math.pow(10, ls.getYSeries()[i]), 1e-12 * recordedLoss, set + " loss at α = " + alpha);
        assertEquals(recordedAcc, cs.getYSeries()[indexOf(cs.getXSeries(), alpha)], 1e-12, set + " accuracy at α = " + alpha);
        System.out.printf(Locale.ROOT, "LinesViewTest: %s at α = %s: loss %.6f (recorded %.6f), accuracy %.4f%n", set,
            alpha, Math.pow(10, ls.getYSeries()[i]), recordedLoss, cs.getYSeries()[indexOf(cs.getXSeries(), alpha)]);
      }
    }

    // legible at 1400x870: plot areas, every point inside its axes, the ends marked by dashed lines at α = 0 and 1
    EventLoop.spin(Duration.ofMillis(500));
    Path shot = EventLoop.screenshot(view.getSite().getShell(), "lines-view.png");
    List<String> outside = new ArrayList<>();
    for (var e : view.getPanels().entrySet()) {
      ChartPanel p = e.getValue();
      Point size = p.getChart().getPlotArea().getSize();
      System.out.println("LinesViewTest: plot area of " + e.getKey() + " " + size.x + "x" + size.y);
      assertTrue(size.y >= RealRunViewsTest.MIN_PLOT_HEIGHT, e.getKey() + ": the plot area is " + size.y + " px high");
      assertTrue(size.x >= 250, e.getKey() + ": the plot area is " + size.x + " px wide");
      assertNull(p.getNote(), e.getKey() + ": " + p.getNote());
      assertEquals(62, PlotBounds.check(p, true, outside), e.getKey() + ": points checked");
      assertTrue(p.getChart().getTitle().getText().length() <= 45, p.getChart().getTitle().getText());
      int x0 = view.endX(e.getKey(), 0);
      int x1 = view.endX(e.getKey(), 1);
      assertTrue(x0 > 0 && x0 < x1 && x1 < size.x - 1, "the ends at pixels " + x0 + " and " + x1);
      assertMarked(p, x0);
      assertMarked(p, x1);
    }
    assertTrue(outside.isEmpty(), String.join("\n", outside));
    assertTrue(Files.size(shot) > 20_000, "the screenshot is only " + Files.size(shot) + " bytes");
  }

  @Test
  void runsOfDifferentModelsAreOneSentenceInADialog() throws Exception {
    IWorkbenchPage page = UiTests.trajlabPage();
    RunsView runs = (RunsView) page.showView(RunsView.ID);
    assertEquals(RunsView.LINE_ACTION, menuLabels(runs, a, other).get(0));
    Display display = Display.getCurrent();
    AtomicReference<String> said = new AtomicReference<>();
    Runnable[] closer = new Runnable[1];
    closer[0] = () -> {
      for (Shell s : display.getShells()) {
        if (s.isVisible() && RunsView.LINE_ACTION.equals(s.getText())) {
          said.set(labels(s).stream().filter(t -> !t.isBlank()).reduce((x, y) -> x + "|" + y).orElse(""));
          s.close();
          return;
        }
      }
      display.timerExec(100, closer[0]);
    };
    display.timerExec(100, closer[0]);
    Menu menu = runs.getViewer().getControl().getMenu();
    menu.getItem(0).notifyListeners(SWT.Selection, new Event());
    menu.notifyListeners(SWT.Hide, new Event());
    try {
      UiTests.spinUntil(() -> said.get() != null, Duration.ofMinutes(1), "a dialog saying why there is no line");
    } finally {
      display.timerExec(-1, closer[0]);
    }
    String message = said.get();
    System.out.println("LinesViewTest: the dialog says: " + message);
    assertTrue(message.startsWith("The runs " + a.name() + "@step-00000100 and " + other.name() + "@step-00000002 are of"
        + " different models"), message);
    assertTrue(message.endsWith("a line between runs needs one model."), message);
    assertFalse(message.contains("\n") || message.contains("|") || message.contains("Exception"), message);
    assertFalse(Files.exists(root.resolve(LineJob.LINES_FOLDER).resolve(a.name() + "--" + other.name())), "a folder was written");
  }

  /** the context menu's labels with {@code selected} selected in the Runs view */
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

  private static List<String> labels(Control c) {
    List<String> out = new ArrayList<>();
    if (c instanceof Label l) {
      out.add(l.getText());
    }
    if (c instanceof Composite comp) {
      for (Control child : comp.getChildren()) {
        out.addAll(labels(child));
      }
    }
    return out;
  }

  /** the dashed mark at pixel column {@code x}: at least a quarter of the plot's height in the mark's colour */
  private static void assertMarked(ChartPanel p, int x) {
    Control plot = p.getChart().getPlotArea().getControl();
    plot.redraw();
    EventLoop.spin(Duration.ofMillis(300));
    Point size = plot.getSize();
    Image image = new Image(plot.getDisplay(), size.x, size.y);
    GC gc = new GC(plot);
    try {
      gc.copyArea(image, 0, 0);
      ImageData data = image.getImageData();
      RGB mark = plot.getDisplay().getSystemColor(LinesView.END_COLOR).getRGB();
      int hits = 0;
      for (int y = 0; y < size.y; y++) {
        if (data.palette.getRGB(data.getPixel(x, y)).equals(mark)) {
          hits++;
        }
      }
      assertTrue(hits >= size.y / 4, p.getDescriptor().id() + ": only " + hits + " of " + size.y + " pixels at x = " + x
          + " in the colour of the ends' marks");
    } finally {
      gc.dispose();
      image.dispose();
    }
  }

  private static int indexOf(double[] xs, double x) {
    for (int i = 0; i < xs.length; i++) {
      if (xs[i] == x) {
        return i;
      }
    }
    throw new AssertionError("no point at α = " + x + " in " + Arrays.toString(xs));
  }

  /** the run's eval row of {@code quantity} at its last step */
  private static double recorded(RunFolder r, String quantity) throws Exception {
    for (String line : Files.readAllLines(r.file(RunFolder.METRICS))) {
      String[] f = line.split(",", -1);
      if (f[0].equals(String.valueOf(STEPS)) && f[2].equals("eval") && f[3].equals(quantity)) {
        return Double.parseDouble(f[5]);
      }
    }
    throw new AssertionError("no eval row " + quantity + " at step " + STEPS + " in " + r.dir());
  }
}
