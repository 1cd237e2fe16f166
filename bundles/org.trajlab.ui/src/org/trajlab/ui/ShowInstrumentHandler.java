package org.trajlab.ui;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.handlers.HandlerUtil;

/** Opens the instrument view of the chart group named by the command's parameter. */
public class ShowInstrumentHandler extends AbstractHandler {
  public static final String COMMAND = "org.trajlab.ui.showInstrument";
  public static final String GROUP_PARAMETER = "org.trajlab.ui.showInstrument.group";

  @Override
  public Object execute(ExecutionEvent event) throws ExecutionException {
    String group = event.getParameter(GROUP_PARAMETER);
    IWorkbenchPage page = HandlerUtil.getActiveWorkbenchWindowChecked(event).getActivePage();
    try {
      return page.showView(InstrumentView.ID, group, IWorkbenchPage.VIEW_ACTIVATE);
    } catch (PartInitException e) {
      throw new ExecutionException("Cannot open the instrument view of '" + group + "'", e);
    }
  }
}
