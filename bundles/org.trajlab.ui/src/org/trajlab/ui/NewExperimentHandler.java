package org.trajlab.ui;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.handlers.HandlerUtil;
import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.ui.wizards.NewExperimentWizard;

/** File &gt; New &gt; Experiment… and the toolbar: the New Experiment wizard. */
public class NewExperimentHandler extends AbstractHandler {
  @Override
  public Object execute(ExecutionEvent event) throws ExecutionException {
    Shell shell = HandlerUtil.getActiveShell(event);
    ExperimentRunner runner;
    try {
      runner = RunnerService.get(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    if (runner == null) {
      MessageDialog.openError(shell, NewExperimentWizard.TITLE, "No experiment engine is installed: nothing provides the "
          + ExperimentRunner.class.getName() + " service.");
      return null;
    }
    NewExperimentWizard.dialog(shell, runner).open();
    return null;
  }
}
