package org.trajlab.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swtchart.ISeries;
import org.eclipse.ui.IWorkbenchPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.ScheduleSpec;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.api.store.RunStore;
import org.trajlab.ui.InstrumentView;
import org.trajlab.ui.RunJob;
import org.trajlab.ui.UiPreferences;
import org.trajlab.testing.HookedRunner;

/**
 * The walk view follows a run while it trains: it shows part of the walk before the end, then all of it, every point
 * inside its chart's axes at both moments.
 */
class LiveRunTest {
  private static final int STEPS = 60;

  @TempDir
  Path root;

  @Test
  void theWalkViewDrawsARunWhileItTrains() throws Exception {
    RunSpec spec = UiTests.smallSpec("livetest", STEPS);
    spec.eval.every = 50;
    ProbeSpec walk = new ProbeSpec("walk", ScheduleSpec.every(1));
    walk.params.put("points", 10);
    spec.probes.add(walk);
    RunFolder folder = new RunStore(root).newRun(spec.name);
    UiPreferences.store().setValue(UiPreferences.RUNS_ROOT, root.toString()); // no other run can be selected
    IWorkbenchPage page = UiTests.trajlabPage();
    InstrumentView view = (InstrumentView) page.showView(InstrumentView.ID, "walk", IWorkbenchPage.VIEW_ACTIVATE);
    view.showRun(folder);
    assertTrue(view.isFollowing());

    // the real engine, paused half-way (inside its progress callback) until the view has drawn the partial walk,
    // so the test does not depend on how fast the machine trains
    CountDownLatch partialShown = new CountDownLatch(1);
    RunJob job = new RunJob(spec, folder, pausedHalfWay(UiTests.runner(), partialShown));
    job.schedule();
    int[] partial = { 0 };
    List<String> outside = new ArrayList<>();
    UiTests.spinUntil(() -> {
      int shown = interpolationPoints(view);
      if (partialShown.getCount() > 0 && shown > 0 && shown < STEPS * 12) {
        partial[0] = shown;
        outside.addAll(PlotBounds.violations(view, "with " + shown + " points of the walk"));
        partialShown.countDown();
      }
      return job.getState() == Job.NONE && job.getResult() != null && !view.isFollowing();
    }, Duration.ofMinutes(3), "the run to end and the view to stop following it");

    assertEquals(RunState.DONE, job.getOutcome().state(), job.getOutcome().message());
    assertTrue(partial[0] > 0 && partial[0] < STEPS * 12,
        "the view never showed a partly written walk while the run trained (" + partial[0] + " points)");
    Map<String, double[][]> expected = WalkViewTest.expectedFromCsv(folder.file(RunFolder.METRICS));
    ISeries<?> interp = view.getCharts().get("walk.interp").getSeriesSet().getSeries("interpolated loss");
    assertEquals(STEPS * 12, expected.get("loss_interp")[0].length);
    assertArrayEquals(expected.get("loss_interp")[0], interp.getXSeries());
    assertArrayEquals(expected.get("loss_interp")[1], interp.getYSeries());
    assertFalse(view.isFollowing());
    // the rows came in over several reads: the axes grew with them, every point inside
    outside.addAll(PlotBounds.violations(view, "at the end of the run"));
    assertTrue(outside.isEmpty(), outside.size() + " plotted points lie outside their axes:\n  " + String.join("\n  ", outside));
  }

  private static ExperimentRunner pausedHalfWay(ExperimentRunner real, CountDownLatch resume) {
    return new HookedRunner(real, (step, folder) -> {
      if (step == STEPS / 2) resume.await(60, TimeUnit.SECONDS);
    });
  }

  private static int interpolationPoints(InstrumentView view) {
    ISeries<?> s = view.getCharts().get("walk.interp").getSeriesSet().getSeries("interpolated loss");
    return s == null ? 0 : s.getXSeries().length;
  }
}
