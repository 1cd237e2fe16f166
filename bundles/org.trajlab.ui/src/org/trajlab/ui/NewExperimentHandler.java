package org.trajlab.ui;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.handlers.HandlerUtil;
import org.trajlab.api.run.ExperimentRunner;
import org.trajlab.ui.wizards.NewExperimentWizard;

/** File &gt; New &gt; Experiment… and the toolbar: the New Experiment wizard. */
public class NewExperimentHandler extends AbstractHandler {
  @Override
  public Object execute(ExecutionEvent event) throws ExecutionException {
    Shell shell = HandlerUtil.getActiveShell(event);
    ExperimentRunner runner = RunnerService.orSay(shell, NewExperimentWizard.TITLE);
    if (runner == null) {
      return null;
    }
    NewExperimentWizard.dialog(shell, runner).open();
    return null;
  }
}
