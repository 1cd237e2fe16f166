package org.trajlab.ui;

import java.io.IOException;

import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.swt.widgets.Control;
import org.eclipse.ui.ISelectionListener;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.part.ViewPart;
import org.trajlab.api.store.MetricRow;
import org.trajlab.api.store.MetricsReader;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunStatus;

/**
 * A view that follows the run selected in the Runs view: it is given every metrics row the run has written so far,
 * then the rows the run appends, read every {@value #POLL_MILLIS} ms until the run is final (DONE, FAILED, ...).
 * Instrument views extend it: they build their controls, call {@link #followRuns()} at the end of
 * {@code createPartControl}, and take rows in {@link #accept}.
 */
public abstract class RunFollowingView extends ViewPart {
  /** how often a running run's new rows are read */
  public static final int POLL_MILLIS = 500;

  private RunFolder run;
  private MetricsReader reader;
  private boolean polling;
  private final Runnable poller = this::pollAndReschedule;
  private final ISelectionListener runsListener = this::runsSelectionChanged;

  /** a control of the view, for its display; null when the view has no charts */
  protected abstract Control anchor();

  /** forgets the previous run's rows and clears what is shown ({@link #run()} is already the new run) */
  protected abstract void reset();

  /** takes one new row; returns whether it changes what the view shows */
  protected abstract boolean accept(MetricRow row);

  /** redraws after new rows were accepted */
  protected abstract void rowsChanged();

  /** told the shown run's status at every read, after its new rows were accepted */
  protected void statusRead(RunStatus status) {}

  /** text after the run's name and state in the view's description */
  protected String describeRows() {
    return "";
  }

  /** the run shown, or null */
  public final RunFolder getRun() {
    return run;
  }

  /** whether the view still reads the shown run's new rows (the run is not final yet) */
  public final boolean isFollowing() {
    return polling;
  }

  /** starts following the Runs view's selection (and shows what it selects now) */
  protected final void followRuns() {
    getSite().getPage().addSelectionListener(RunsView.ID, runsListener);
    runsSelectionChanged(null, getSite().getPage().getSelection(RunsView.ID));
    if (run == null) {
      setContentDescription("Select a run in the Runs view.");
    }
  }

  private void runsSelectionChanged(IWorkbenchPart part, ISelection selection) {
    if (selection instanceof IStructuredSelection s && s.getFirstElement() instanceof RunFolder folder) {
      showRun(folder);
    }
  }

  /** shows {@code folder}'s rows (all so far, then the new ones while it runs) */
  public void showRun(RunFolder folder) {
    if (anchor() == null || (run != null && run.dir().equals(folder.dir()))) {
      return;
    }
    run = folder;
    reader = folder.metricsReader();
    reset();
    if (!polling) {
      polling = true;
      pollAndReschedule();
    }
  }

  private void pollAndReschedule() {
    Control a = anchor();
    if (a == null || a.isDisposed() || run == null) {
      polling = false;
      return;
    }
    polling = poll();
    if (polling) {
      a.getDisplay().timerExec(POLL_MILLIS, poller);
    }
  }

  /** reads the rows added since the last call; returns whether the run may still add rows */
  private boolean poll() {
    RunStatus status = run.readStatus(); // read before the rows: once final, this read gets everything
    boolean changed = false;
    try {
      for (MetricRow r : reader.readNew()) {
        changed |= accept(r);
      }
    } catch (IOException e) {
      setContentDescription(run.name() + ": " + e.getMessage());
      return !status.state.isFinal();
    }
    if (changed) {
      rowsChanged();
    }
    statusRead(status);
    setContentDescription(run.name() + "  (" + status.state + ", step " + status.step + "/" + status.totalSteps + ")"
        + describeRows());
    return !status.state.isFinal();
  }

  @Override
  public void dispose() {
    getSite().getPage().removeSelectionListener(RunsView.ID, runsListener);
    Control a = anchor();
    if (a != null && !a.isDisposed()) {
      a.getDisplay().timerExec(-1, poller);
    }
    super.dispose();
  }
}
