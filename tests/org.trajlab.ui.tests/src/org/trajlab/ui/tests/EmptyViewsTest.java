package org.trajlab.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Link;
import org.eclipse.ui.IViewReference;
import org.eclipse.ui.IWorkbenchPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.ScheduleSpec;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.MetricsWriter;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.api.store.RunStatus;
import org.trajlab.api.store.RunStore;
import org.trajlab.testing.ui.EventLoop;
import org.trajlab.ui.InstrumentView;
import org.trajlab.ui.Instruments;
import org.trajlab.ui.RunsView;
import org.trajlab.ui.UiPreferences;
import org.trajlab.ui.charts.DensityPanel;

/**
 * A view with nothing to show says so in a sentence, not with empty axes: which probe the run's spec lacks (and
 * how to add it), or that the probe has not written yet; and it offers, as links, the views that draw the run's
 * probes. A chart of a view that has data but not for that chart says so on its plot (the chart's hint).
 */
class EmptyViewsTest {
  @TempDir
  Path temp;

  @Test
  void aRunWithoutWalkRowsSaysWhichProbeToAddAndOffersItsViews() throws Exception {
    RunFolder run = run("nowalk", "curvature", RunState.DONE);
    try (MetricsWriter w = run.openMetrics()) {
      for (long t : new long[] { 0, 10 }) {
        for (int i = 1; i <= 3; i++) {
          w.record(t, 1, "curvature", "hessian_eig", i, 10.0 / i + t);
        }
      }
    }
    InstrumentView walk = show(run, "walk");
    assertEquals("This run has nothing for the Walk view: its spec has no walk probe. Add {\"type\": \"walk\"} to the "
        + "spec's \"probes\" to see its rows here.\n\nViews that draw this run's probes: "
        + "<a href=\"curvature\">Curvature</a>, <a href=\"landscape\">Landscape</a>, <a href=\"spectrum\">Spectrum</a>.", walk.getMessage());
    EventLoop.screenshot(walk.getSite().getShell(), "empty-walk-view.png");

    // the link opens the Spectrum view, which draws the eigenvalues and says why the density is empty
    Link link = find(walk, Link.class);
    Event click = new Event();
    click.text = "spectrum";
    link.notifyListeners(SWT.Selection, click);
    IWorkbenchPage page = walk.getSite().getPage();
    UiTests.spinUntil(() -> page.findViewReference(InstrumentView.ID, "spectrum") != null
        && page.getActivePart() == page.findViewReference(InstrumentView.ID, "spectrum").getPart(false),
        Duration.ofSeconds(5), "the link to open the Spectrum view");
    InstrumentView spectrum = (InstrumentView) page.findViewReference(InstrumentView.ID, "spectrum").getPart(false);
    UiTests.spinUntil(() -> spectrum.getRun() != null && spectrum.getMessage() == null, Duration.ofSeconds(10),
        "the Spectrum view to draw the eigenvalues");
    DensityPanel density = (DensityPanel) spectrum.getPanels().get("spectrum.density");
    assertEquals("The curvature probe writes the spectral density when asked: params {\"density\": true}.",
        density.getNote());
    assertNull(spectrum.getPanels().get("spectrum.eig").getNote());
    EventLoop.screenshot(walk.getSite().getShell(), "empty-density-chart.png");
  }

  @Test
  void aProbeThatHasNotWrittenYetIsWaitedForThenSaidToHaveWrittenNothing() throws Exception {
    RunFolder run = run("waiting", "walk", RunState.RUNNING);
    run.openMetrics().close();
    InstrumentView walk = show(run, "walk");
    UiTests.spinUntil(() -> walk.getMessage() != null && walk.getMessage().startsWith("No rows"), Duration.ofSeconds(5),
        "the waiting sentence");
    // only the Walk view draws the walk probe: nothing else to offer
    assertEquals("No rows for the Walk view yet: the walk probe writes them on its schedule.", walk.getMessage());
    assertTrue(walk.isFollowing());
    status(run, RunState.DONE);
    UiTests.spinUntil(() -> !walk.isFollowing(), Duration.ofSeconds(5), "the view to read the DONE status");
    assertEquals("This run's walk probe wrote no rows that the Walk view draws.", walk.getMessage());
  }

  @Test
  void sentencesNameEveryProbeOfAGroupAndHowToAddOne() {
    var spectrum = Instruments.groups().get("spectrum");
    assertEquals(List.of("curvature", "subspace", "nsgd"), List.copyOf(spectrum.probes()));
    assertEquals("This run has nothing for the Spectrum view: its spec has none of the probes curvature, subspace or "
        + "nsgd. Add one of them, e.g. {\"type\": \"curvature\"}, to the spec's \"probes\" to see their rows here.",
        InstrumentView.sentence(spectrum, Set.of("walk"), true));
    assertEquals("This run has no rows for the Spectrum view, which draws the rows of the probes curvature, subspace "
        + "or nsgd. Add one of them, e.g. {\"type\": \"curvature\"}, to the \"probes\" of a run's spec to see them here.",
        InstrumentView.sentence(spectrum, null, true));
    assertEquals("No rows for the Spectrum view yet: the subspace and nsgd probes write them on their schedules.",
        InstrumentView.sentence(spectrum, Set.of("nsgd", "subspace"), false));
    assertEquals("This run's subspace and nsgd probes wrote no rows that the Spectrum view draws.",
        InstrumentView.sentence(spectrum, Set.of("nsgd", "subspace"), true));
    assertEquals(List.of("walk"), Instruments.drawing(Set.of("walk")).stream().map(g -> g.id()).toList());
    assertEquals(List.of("curvature", "spectrum"),
        Instruments.drawing(Set.of("nsgd")).stream().map(g -> g.id()).toList());
    // the Noise view's scatter of λ₁ᴴ against λ₁ᴷ needs both probes: a curvature run alone is not offered it
    assertEquals(List.of("curvature", "landscape", "spectrum"),
        Instruments.drawing(Set.of("curvature")).stream().map(g -> g.id()).toList());
    assertTrue(Instruments.drawing(Set.of("noise")).stream().anyMatch(g -> g.id().equals("noise")));
    assertEquals(List.of("embedding"), Instruments.drawing(Set.of("embedding")).stream().map(g -> g.id()).toList());
    // the Averaging view draws θ_t's eval rows beside the averages: a run without the averaging probe is not offered it
    assertEquals(List.of("averaging"), Instruments.drawing(Set.of("averaging")).stream().map(g -> g.id()).toList());
    assertEquals(List.of("lrscan", "sidetrip"),
        Instruments.drawing(Set.of("lrscan", "sidetrip")).stream().map(g -> g.id()).toList());
    var noise = Instruments.groups().get("noise");
    assertEquals(List.of("noise", "curvature"), List.copyOf(noise.probes()));
    assertEquals("This run has nothing for the Noise view: its spec has none of the probes noise or curvature. Add one"
        + " of them, e.g. {\"type\": \"noise\"}, to the spec's \"probes\" to see their rows here.",
        InstrumentView.sentence(noise, Set.of("walk"), true));
  }

  /** a run folder whose spec has the one probe {@code probe}, in {@code state} */
  private RunFolder run(String name, String probe, RunState state) throws Exception {
    Path root = temp.resolve("runs");
    RunFolder run = new RunStore(root).newRun(name);
    RunSpec spec = Specs.defaultExperiment();
    spec.name = name;
    spec.probes.clear();
    spec.probes.add(new ProbeSpec(probe, ScheduleSpec.every(10)));
    run.writeSpec(spec);
    status(run, state);
    UiPreferences.store().setValue(UiPreferences.RUNS_ROOT, root.toString());
    return run;
  }

  private static void status(RunFolder run, RunState state) throws Exception {
    RunStatus s = new RunStatus();
    s.state = state;
    s.step = state == RunState.DONE ? 20 : 5;
    s.totalSteps = 20;
    s.pid = ProcessHandle.current().pid();
    run.writeStatus(s);
  }

  /** the view of {@code group} at 1400×870, following {@code run} selected in the Runs view */
  private static InstrumentView show(RunFolder run, String group) throws Exception {
    IWorkbenchPage page = UiTests.trajlabPage();
    page.getWorkbenchWindow().getShell().setBounds(0, 0, 1400, 870);
    IViewReference old = page.findViewReference(InstrumentView.ID, group);
    if (old != null) {
      page.hideView(old); // a fresh view, as the perspective opens it
    }
    RunsView runs = (RunsView) page.showView(RunsView.ID);
    runs.refresh();
    RunFolder listed = runs.getRuns().stream().filter(r -> r.dir().equals(run.dir())).findFirst()
        .orElseThrow(() -> new AssertionError("the Runs view does not list " + run.dir()));
    runs.getViewer().setSelection(new StructuredSelection(listed), true);
    InstrumentView view = (InstrumentView) page.showView(InstrumentView.ID, group, IWorkbenchPage.VIEW_ACTIVATE);
    UiTests.spinUntil(() -> view.getRun() != null && view.getRun().dir().equals(run.dir()), Duration.ofSeconds(5),
        "the " + group + " view to follow the run");
    UiTests.spin(Duration.ofMillis(2 * 500 + 200)); // two polls
    return view;
  }

  /** the first visible control of {@code type} in the view (its root: the parent of the charts' scrolled composite) */
  private static <T extends Control> T find(InstrumentView view, Class<T> type) {
    Control root = view.getPanels().values().iterator().next().getParent().getParent().getParent();
    T found = find(root, type);
    assertNotNull(found, "no " + type.getSimpleName() + " in the view");
    return found;
  }

  private static <T extends Control> T find(Control c, Class<T> type) {
    if (type.isInstance(c) && c.isVisible()) {
      return type.cast(c);
    }
    if (c instanceof Composite comp) {
      for (Control k : comp.getChildren()) {
        T f = find(k, type);
        if (f != null) return f;
      }
    }
    return null;
  }
}
