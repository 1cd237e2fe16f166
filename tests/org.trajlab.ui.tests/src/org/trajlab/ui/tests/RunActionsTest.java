package org.trajlab.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.ui.IWorkbenchPage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlab.api.run.RunMonitor;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.store.MetricRow;
import org.trajlab.api.store.MetricsReader;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.api.store.RunStatus;
import org.trajlab.api.store.RunStore;
import org.trajlab.ui.RunActions;
import org.trajlab.ui.RunJob;
import org.trajlab.ui.RunsView;
import org.trajlab.ui.UiPreferences;

/**
 * The Runs view's actions on real runs: show spec (the dialog shows spec.json), rename (the folder moves, the view
 * lists it under the new name, bad names are one sentence), delete (the folder is gone; a run that is training is
 * refused), cancel (the run's job stops and leaves a CANCELLED status, a summary and whole metrics rows), and a run
 * whose process is gone shows as INTERRUPTED with a sentence saying it was killed or crashed.
 */
class RunActionsTest {
  @TempDir
  Path temp;
  Path root;

  @BeforeEach
  void runsRoot() {
    root = temp.resolve("runs");
    UiPreferences.store().setValue(UiPreferences.RUNS_ROOT, root.toString());
  }

  private RunFolder finishedRun(String name) throws Exception {
    RunSpec spec = UiTests.smallSpec(name, 3);
    RunFolder f = new RunStore(root).newRun(spec.name);
    assertEquals(RunState.DONE, UiTests.runner().run(spec, f, RunMonitor.NONE).state());
    return f;
  }

  @Test
  void showSpecRenameAndDeleteAFinishedRun() throws Exception {
    RunFolder run = finishedRun("actions");
    RunFolder other = finishedRun("other");
    IWorkbenchPage page = UiTests.trajlabPage();
    RunsView view = (RunsView) page.showView(RunsView.ID);
    List<String> labels = menuLabels(view, run);
    for (String action : List.of(RunActions.CANCEL, RunActions.RENAME, RunActions.DELETE, RunActions.OPEN_FOLDER,
        RunActions.SHOW_SPEC)) {
      assertTrue(labels.contains(action), action + " is not in " + labels);
    }
    Menu menu = view.getViewer().getControl().getMenu();
    assertFalse(menu.getItem(labels.indexOf(RunActions.CANCEL)).isEnabled(), "a finished run can be cancelled");
    assertTrue(menu.getItem(labels.indexOf(RunActions.RENAME)).isEnabled());
    menu.notifyListeners(SWT.Hide, new Event());

    // show spec: spec.json as written
    RunActions.SpecDialog dialog = view.getActions().showSpec(run);
    dialog.setBlockOnOpen(false);
    dialog.open();
    try {
      assertEquals(Files.readString(run.file(RunFolder.SPEC)), dialog.getText());
      assertEquals("Spec of " + run.name(), dialog.getShell().getText());
    } finally {
      dialog.close();
    }

    // copy path (what open folder does where there is no file manager)
    view.getActions().copyPath(run);
    Clipboard clipboard = new Clipboard(view.getSite().getShell().getDisplay());
    try {
      assertEquals(run.dir().toString(), clipboard.getContents(TextTransfer.getInstance()));
    } finally {
      clipboard.dispose();
    }

    // rename: bad names are one sentence; a good one moves the folder and the view follows
    assertEquals("Type a name for the run folder.", RunActions.checkName(run, " "));
    assertEquals("A run folder's name cannot contain / or \\ or start with a dot.", RunActions.checkName(run, "a/b"));
    assertEquals("The runs folder already has a " + other.name() + ".", RunActions.checkName(run, other.name()));
    assertNull(RunActions.checkName(run, "renamed-run"));
    RunFolder renamed = view.getActions().rename(run, "renamed-run");
    assertEquals(root.resolve("renamed-run"), renamed.dir());
    assertFalse(Files.exists(run.dir()));
    assertEquals(RunState.DONE, renamed.readStatus().state);
    assertTrue(view.getRuns().stream().anyMatch(r -> r.dir().equals(renamed.dir())), "the view lists the new name");
    assertTrue(view.getRuns().stream().noneMatch(r -> r.dir().equals(run.dir())), "the view lists the old name");

    // delete: the question names the run; the folder and its row go
    assertEquals("Delete the run renamed-run and everything in its folder (metrics, checkpoints, logs)?",
        RunActions.deleteQuestion(List.of(renamed)));
    view.getActions().delete(List.of(renamed));
    assertFalse(Files.exists(renamed.dir()));
    assertEquals(List.of(other.dir()), view.getRuns().stream().map(RunFolder::dir).toList());
  }

  @Test
  void cancelStopsTheJobAndLeavesAConsistentCancelledFolder() throws Exception {
    RunSpec spec = UiTests.smallSpec("tocancel", 100_000);
    RunFolder folder = new RunStore(root).newRun(spec.name);
    RunJob job = new RunJob(spec, folder, UiTests.runner());
    job.schedule();
    UiTests.spinUntil(() -> folder.readStatus().state == RunState.RUNNING && folder.readStatus().step >= 5
        || job.getResult() != null, Duration.ofMinutes(3), "the run to train a few updates");
    IWorkbenchPage page = UiTests.trajlabPage();
    RunsView view = (RunsView) page.showView(RunsView.ID);
    List<String> labels = menuLabels(view, folder);
    Menu menu = view.getViewer().getControl().getMenu();
    assertTrue(menu.getItem(labels.indexOf(RunActions.CANCEL)).isEnabled(), "a training run cannot be cancelled");
    assertFalse(menu.getItem(labels.indexOf(RunActions.DELETE)).isEnabled(), "a training run can be deleted");
    assertFalse(menu.getItem(labels.indexOf(RunActions.RENAME)).isEnabled(), "a training run can be renamed");
    IOException refused = assertThrows(IOException.class, () -> view.getActions().delete(List.of(folder)));
    assertEquals(folder.name() + " is training; cancel it or wait for it to end before deleting it.", refused.getMessage());
    menu.getItem(labels.indexOf(RunActions.CANCEL)).notifyListeners(SWT.Selection, new Event());
    menu.notifyListeners(SWT.Hide, new Event());
    UiTests.spinUntil(() -> job.getState() == Job.NONE && job.getResult() != null, Duration.ofMinutes(2),
        "the cancelled job to end");

    assertEquals(IStatus.CANCEL, job.getResult().getSeverity(), job.getResult().toString());
    RunStatus status = folder.readStatus();
    assertEquals(RunState.CANCELLED, status.state);
    assertTrue(status.step > 0 && status.step < 100_000, "cancelled at step " + status.step);
    assertEquals("cancelled after " + status.step + " updates", status.message);
    Map<String, Object> summary = folder.readSummary();
    assertNotNull(summary, "a cancelled run has no summary.json");
    // metrics.csv is whole: every line complete, the train rows up to the last update done
    String csv = Files.readString(folder.file(RunFolder.METRICS));
    assertTrue(csv.endsWith("\n"), "metrics.csv ends in the middle of a line");
    List<MetricRow> rows = MetricsReader.readAll(folder.file(RunFolder.METRICS));
    long lastTrain = rows.stream().filter(r -> r.probe().equals("train")).mapToLong(MetricRow::step).max().orElse(-1);
    assertEquals(status.step - 1, lastTrain, "the last train row is the last update done");
    view.refresh();
    RunFolder listed = view.getRuns().stream().filter(r -> r.dir().equals(folder.dir())).findFirst().orElseThrow();
    assertEquals(RunState.CANCELLED, view.status(listed).state);
    System.out.println("RunActionsTest: cancelled at step " + status.step + ", " + rows.size() + " rows");
  }

  @Test
  void aRunWhoseProcessIsGoneShowsAsKilledOrCrashed() throws Exception {
    RunFolder run = finishedRun("killed");
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    long deadPid = p.pid();
    RunStatus s = run.readStatus();
    s.state = RunState.RUNNING;
    s.step = 2;
    s.pid = deadPid;
    run.writeStatus(s);
    IWorkbenchPage page = UiTests.trajlabPage();
    RunsView view = (RunsView) page.showView(RunsView.ID);
    view.refresh();
    RunFolder listed = view.getRuns().stream().filter(r -> r.dir().equals(run.dir())).findFirst().orElseThrow();
    assertEquals(RunState.INTERRUPTED, view.status(listed).state);
    List<String> row = new ArrayList<>();
    var item = view.getViewer().getTable().getItem(view.getRuns().indexOf(listed));
    for (int i = 0; i < view.getViewer().getTable().getColumnCount(); i++) {
      row.add(item.getText(i));
    }
    assertEquals("INTERRUPTED", row.get(1));
    assertEquals("Its process " + deadPid + " ended at step 2 without finishing (killed or crashed); trajlab run"
        + " --resume continues it from its latest checkpoint.", row.get(5));
    // nothing trains it: it can be renamed and deleted
    List<String> labels = menuLabels(view, listed);
    Menu menu = view.getViewer().getControl().getMenu();
    assertTrue(menu.getItem(labels.indexOf(RunActions.DELETE)).isEnabled());
    assertFalse(menu.getItem(labels.indexOf(RunActions.CANCEL)).isEnabled());
    menu.notifyListeners(SWT.Hide, new Event());
  }

  private static List<String> menuLabels(RunsView runs, RunFolder selected) {
    runs.refresh();
    RunFolder listed = runs.getRuns().stream().filter(r -> r.dir().equals(selected.dir())).findFirst()
        .orElseThrow(() -> new AssertionError("the Runs view does not list " + selected.dir()));
    runs.getViewer().setSelection(new StructuredSelection(listed), true);
    Menu menu = runs.getViewer().getControl().getMenu();
    menu.notifyListeners(SWT.Show, new Event());
    return Arrays.stream(menu.getItems()).map(MenuItem::getText).toList();
  }
}
