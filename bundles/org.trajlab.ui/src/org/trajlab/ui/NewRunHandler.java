package org.trajlab.ui;

import java.io.IOException;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.handlers.HandlerUtil;
import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.api.spec.RunSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunStore;

/**
 * Run &gt; New run: the default experiment, with the data folder of the preferences, into a new folder under the
 * runs root, as a {@link RunJob}. A spec the engine refuses is reported with the engine's sentence before any
 * folder is made.
 */
public class NewRunHandler extends AbstractHandler {
  private static final String TITLE = "New run";

  @Override
  public Object execute(ExecutionEvent event) throws ExecutionException {
    Shell shell = HandlerUtil.getActiveShell(event);
    ExperimentRunner runner = RunnerService.orSay(shell, TITLE);
    if (runner == null) {
      return null;
    }
    RunSpec spec = Specs.defaultExperiment();
    UiPreferences.applyDefaults(spec); // data folder and evaluation sizes of the preferences
    try {
      runner.check(spec);
    } catch (SpecException e) {
      MessageDialog.openError(shell, TITLE, e.getMessage());
      return null;
    }
    RunFolder folder;
    try {
      folder = new RunStore(UiPreferences.runsRoot()).newRun(spec.name);
    } catch (IOException e) {
      MessageDialog.openError(shell, TITLE, "Cannot make a run folder under " + UiPreferences.runsRoot() + ": "
          + e.getMessage());
      return null;
    }
    new RunJob(spec, folder, runner).schedule();
    IWorkbenchWindow window = HandlerUtil.getActiveWorkbenchWindow(event);
    if (window != null && window.getActivePage() != null
        && window.getActivePage().findView(RunsView.ID) instanceof RunsView runs) {
      runs.reveal(folder.dir());
    }
    return null;
  }
}
