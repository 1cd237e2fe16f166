package org.trajlab.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.action.IMenuManager;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.jface.action.Separator;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.part.ViewPart;
import org.eclipse.ui.progress.IProgressConstants;
import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.api.chart.ChartGroup;
import org.trajlab.api.spec.SpecException;
import org.trajlab.ui.wizards.RestartWizard;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.api.store.RunStatus;
import org.trajlab.api.store.RunStore;

/**
 * The run folders under the runs root (preference {@link UiPreferences#RUNS_ROOT}), newest first, with their state
 * and progress, refreshed every second. Its selection is the selected {@link RunFolder}; instrument views follow it
 * (the first, when several are selected). Its context menu offers the instrument views of one selected run, and
 * "Line between runs" for two ({@link LineJob}: the result opens in the {@link LinesView}).
 */
public class RunsView extends ViewPart {
  public static final String ID = "org.trajlab.ui.runsView";
  public static final int REFRESH_MILLIS = 1000;
  private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
      .withZone(ZoneId.systemDefault());

  private TableViewer viewer;
  private RunStore store;
  /** one RunFolder object per folder, kept across refreshes so the viewer's selection survives them */
  private final Map<Path, RunFolder> folders = new HashMap<>();
  private final Map<RunFolder, RunStatus> statuses = new HashMap<>();
  private List<RunFolder> runs = List.of();
  private Path pendingReveal;
  private final Runnable ticker = this::tick;
  private final RunActions actions = new RunActions(this);

  @Override
  public void createPartControl(Composite parent) {
    viewer = new TableViewer(parent, SWT.MULTI | SWT.FULL_SELECTION | SWT.H_SCROLL | SWT.V_SCROLL);
    Table table = viewer.getTable();
    table.setHeaderVisible(true);
    table.setLinesVisible(true);
    column("Run", 200, RunFolder::name);
    column("State", 90, r -> status(r).state.name());
    column("Progress", 70, r -> String.format(Locale.ROOT, "%.0f %%", 100 * status(r).fraction()));
    column("Step", 90, r -> status(r).step + "/" + status(r).totalSteps);
    column("Started", 140, r -> started(status(r).started));
    column("Message", 300, r -> message(status(r)));
    viewer.setContentProvider(ArrayContentProvider.getInstance());
    getSite().setSelectionProvider(viewer);
    MenuManager menu = new MenuManager();
    menu.setRemoveAllWhenShown(true);
    menu.addMenuListener(this::fillContextMenu);
    table.setMenu(menu.createContextMenu(table));
    refresh();
    parent.getDisplay().timerExec(REFRESH_MILLIS, ticker);
  }

  /** the label of the context menu's entry for two selected runs */
  public static final String LINE_ACTION = "Line between runs";

  /**
   * several selected runs: "Line between runs" (two), "Compare runs"; one: its instrument views, one entry per view
   * that draws a probe of its spec; then, for the selection, cancel (a run trained here), rename, delete, open folder
   * and show spec ({@link RunActions})
   */
  private void fillContextMenu(IMenuManager menu) {
    List<RunFolder> selected = new ArrayList<>();
    for (Object o : viewer.getStructuredSelection().toList()) {
      if (o instanceof RunFolder f) {
        selected.add(f);
      }
    }
    if (selected.isEmpty()) {
      return;
    }
    if (selected.size() == 2) {
      RunFolder x = selected.get(0);
      RunFolder y = selected.get(1);
      // A (α = 0) is the run started first: folder names begin with their start time
      boolean xFirst = x.name().compareTo(y.name()) <= 0;
      RunFolder a = xFirst ? x : y;
      RunFolder b = xFirst ? y : x;
      menu.add(new Action(LINE_ACTION) {
        @Override
        public void run() {
          lineBetween(a, b);
        }
      });
    }
    if (selected.size() >= 2) {
      menu.add(new Action(COMPARE_ACTION) {
        @Override
        public void run() {
          compare(selected);
        }
      });
    }
    if (selected.size() == 1) {
      RunFolder run = selected.get(0);
      Set<String> probes = Instruments.specProbes(run);
      List<ChartGroup> groups = probes == null ? List.of() : Instruments.drawing(probes);
      for (ChartGroup g : groups) {
        menu.add(new Action("Show " + g.name()) {
          @Override
          public void run() {
            try {
              Instruments.show(getSite().getPage(), g.id());
            } catch (PartInitException e) {
              setContentDescription("The " + g.name() + " view cannot be opened: " + e.getMessage());
            }
          }
        });
      }
      if (groups.isEmpty()) {
        Action none = new Action(probes == null ? "This run's spec cannot be read" : "No instrument view draws this run's probes") {};
        none.setEnabled(false);
        menu.add(none);
      }
      menu.add(new Action(RESTART_ACTION) {
        @Override
        public void run() {
          restart(run);
        }
      });
    }
    menu.add(new Separator());
    actions.fill(menu, selected, this::status);
  }

  /** the label of the context menu's entry for several selected runs */
  public static final String COMPARE_ACTION = "Compare runs";

  /** opens the Compare view on {@code selected} */
  public CompareView compare(List<RunFolder> selected) {
    try {
      CompareView view = (CompareView) getSite().getPage().showView(CompareView.ID);
      view.showRuns(selected);
      return view;
    } catch (PartInitException e) {
      MessageDialog.openError(getSite().getShell(), COMPARE_ACTION, "The Compare view cannot be opened: " + e.getMessage());
      return null;
    }
  }

  /** the actions on the selected runs (cancel, rename, delete, open folder, show spec) */
  public RunActions getActions() {
    return actions;
  }

  /** the label of the context menu's entry that opens the Restart wizard on one selected run */
  public static final String RESTART_ACTION = "Restart from checkpoint\u2026";

  /** opens the Restart wizard on {@code run}; a run without checkpoints is one sentence in a dialog */
  public void restart(RunFolder run) {
    Shell shell = getSite().getShell();
    ExperimentRunner runner = RunnerService.orSay(shell, RestartWizard.TITLE);
    if (runner == null) {
      return;
    }
    RestartWizard wizard;
    try {
      wizard = new RestartWizard(run, UiPreferences.runsRoot(), runner);
    } catch (SpecException e) {
      MessageDialog.openError(shell, RestartWizard.TITLE, e.getMessage());
      return;
    }
    lastRestart = RestartWizard.dialog(shell, wizard);
    lastRestart.setBlockOnOpen(blockOnOpen);
    lastRestart.open();
  }

  /** the Restart wizard's dialog last opened (tests drive it) */
  public WizardDialog lastRestartDialog() {
    return lastRestart;
  }

  /** whether {@link #restart} waits for its dialog to close (tests open it without waiting) */
  public void setBlockOnOpen(boolean block) {
    this.blockOnOpen = block;
  }

  private WizardDialog lastRestart;
  private boolean blockOnOpen = true;

  /**
   * computes the line from {@code a} (α = 0) to {@code b} (α = 1) as a {@link LineJob} and opens the Lines view on it;
   * the engine's refusal (runs of different models, a run without a checkpoint) is one sentence in a dialog
   */
  public LineJob lineBetween(RunFolder a, RunFolder b) {
    Shell shell = getSite().getShell();
    ExperimentRunner runner = RunnerService.orSay(shell, LINE_ACTION);
    if (runner == null) {
      return null;
    }
    LineJob job = new LineJob(a, b, UiPreferences.runsRoot(), runner);
    job.setProperty(IProgressConstants.NO_IMMEDIATE_ERROR_PROMPT_PROPERTY, Boolean.TRUE); // our dialog says it
    job.addJobChangeListener(new JobChangeAdapter() {
      @Override
      public void done(IJobChangeEvent event) {
        Display display = shell.getDisplay();
        if (display.isDisposed()) {
          return;
        }
        display.asyncExec(() -> lineDone(job, shell));
      }
    });
    job.schedule();
    return job;
  }

  private void lineDone(LineJob job, Shell shell) {
    IStatus result = job.getResult();
    if (result.isOK() && job.getLine() != null) {
      try {
        LinesView view = (LinesView) getSite().getPage().showView(LinesView.ID);
        view.showLine(job.getLine().dir());
      } catch (PartInitException e) {
        MessageDialog.openError(shell, LINE_ACTION, "The Lines view cannot be opened: " + e.getMessage());
      }
    } else if (result.getSeverity() == IStatus.ERROR && !shell.isDisposed()) {
      MessageDialog.openError(shell, LINE_ACTION, result.getMessage());
    }
  }

  private void column(String title, int width, Function<RunFolder, String> text) {
    TableViewerColumn c = new TableViewerColumn(viewer, SWT.NONE);
    c.getColumn().setText(title);
    c.getColumn().setWidth(width);
    c.setLabelProvider(new ColumnLabelProvider() {
      @Override
      public String getText(Object element) {
        return text.apply((RunFolder) element);
      }
    });
  }

  private void tick() {
    if (viewer.getControl().isDisposed()) {
      return;
    }
    refresh();
    viewer.getControl().getDisplay().timerExec(REFRESH_MILLIS, ticker);
  }

  /** re-reads the runs root preference, the list of runs and their status files */
  public void refresh() {
    Path root = UiPreferences.runsRoot();
    if (store == null || !store.root().equals(root)) {
      store = new RunStore(root);
      folders.clear();
    }
    List<RunFolder> listed;
    try {
      listed = store.list();
      setContentDescription(root.toString());
    } catch (IOException e) {
      listed = List.of();
      setContentDescription(root + " cannot be read: " + e.getMessage());
    }
    List<RunFolder> now = new ArrayList<>();
    Set<Path> seen = new HashSet<>();
    statuses.clear();
    for (RunFolder f : listed) {
      RunFolder kept = folders.computeIfAbsent(f.dir(), d -> f);
      now.add(kept);
      seen.add(kept.dir());
      statuses.put(kept, kept.readStatus());
    }
    folders.keySet().retainAll(seen);
    if (!now.equals(runs)) {
      runs = List.copyOf(now);
      viewer.setInput(runs);
    } else {
      viewer.refresh(true);
    }
    if (pendingReveal != null && folders.containsKey(pendingReveal)) {
      viewer.setSelection(new StructuredSelection(folders.get(pendingReveal)), true);
      pendingReveal = null;
    }
  }

  /** selects the run in {@code dir} as soon as it shows up (a run just started has no spec.json for a moment) */
  public void reveal(Path dir) {
    pendingReveal = dir;
    refresh();
  }

  /** the runs listed, newest first */
  public List<RunFolder> getRuns() {
    return runs;
  }

  /** the status of a listed run, as read at the last refresh */
  public RunStatus status(RunFolder run) {
    return statuses.getOrDefault(run, new RunStatus());
  }

  public TableViewer getViewer() {
    return viewer;
  }

  /** the status' message; a run whose process is gone says so (killed or crashed: it wrote no end) */
  static String message(RunStatus s) {
    if (s.state == RunState.INTERRUPTED) {
      return "Its process" + (s.pid == null ? "" : " " + s.pid) + " ended at step " + s.step
          + " without finishing (killed or crashed); trajlab run --resume continues it from its latest checkpoint.";
    }
    return s.message == null ? "" : s.message;
  }

  private static String started(String iso) {
    if (iso == null) {
      return "";
    }
    try {
      return STARTED.format(Instant.parse(iso));
    } catch (DateTimeParseException e) {
      return iso;
    }
  }

  @Override
  public void setFocus() {
    viewer.getControl().setFocus();
  }

  @Override
  public void dispose() {
    if (viewer != null && !viewer.getControl().isDisposed()) {
      viewer.getControl().getDisplay().timerExec(-1, ticker);
    }
    super.dispose();
  }
}
