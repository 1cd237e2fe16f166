package org.trajlab.ui;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.handlers.HandlerUtil;

/**
 * Help &gt; trajlab Cheat Sheet: the walk of paper 000 in the Cheat Sheets view. org.eclipse.ui.cheatsheets' own
 * open command and its public {@code OpenCheatSheetAction} link against the help system's UI (HelpTray of
 * org.eclipse.help.ui, which needs help.base, Lucene and Jetty), which this workbench does not carry; so this handler
 * shows the view and gives it the cheat sheet's id through the view's {@code setInput(String)}, called reflectively
 * because the view class is internal (friends only). Anything that fails is one sentence in a dialog.
 */
public class CheatSheetHandler extends AbstractHandler {
  /** the Cheat Sheets view of org.eclipse.ui.cheatsheets */
  public static final String VIEW = "org.eclipse.ui.cheatsheets.views.CheatSheetView";
  /** the cheat sheet of plugin.xml: reproduce the walk of paper 000 on Fashion-MNIST */
  public static final String WALK_000 = "org.trajlab.ui.cheatsheets.walk000";
  private static final String TITLE = "trajlab Cheat Sheet";

  @Override
  public Object execute(ExecutionEvent event) {
    IWorkbenchPage page = HandlerUtil.getActiveWorkbenchWindow(event).getActivePage();
    String problem = open(page, WALK_000);
    if (problem != null) {
      MessageDialog.openError(HandlerUtil.getActiveShell(event), TITLE, problem);
    }
    return null;
  }

  /** shows cheat sheet {@code id} in the Cheat Sheets view of {@code page}; null, or what went wrong in a sentence */
  public static String open(IWorkbenchPage page, String id) {
    IViewPart view;
    try {
      view = page.showView(VIEW);
    } catch (PartInitException e) {
      return "The Cheat Sheets view cannot be opened (is org.eclipse.ui.cheatsheets installed?): " + e.getMessage();
    }
    try {
      view.getClass().getMethod("setInput", String.class).invoke(view, id);
      return null;
    } catch (ReflectiveOperationException | LinkageError e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return "The cheat sheet " + id + " cannot be shown: " + cause;
    }
  }
}
