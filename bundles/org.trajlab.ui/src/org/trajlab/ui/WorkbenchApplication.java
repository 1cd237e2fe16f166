package org.trajlab.ui;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.eclipse.jface.action.GroupMarker;
import org.eclipse.jface.action.IAction;
import org.eclipse.jface.action.ICoolBarManager;
import org.eclipse.jface.action.IMenuManager;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.jface.action.Separator;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchActionConstants;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.actions.ActionFactory;
import org.eclipse.ui.actions.ContributionItemFactory;
import org.eclipse.ui.application.ActionBarAdvisor;
import org.eclipse.ui.application.IActionBarConfigurer;
import org.eclipse.ui.application.IWorkbenchConfigurer;
import org.eclipse.ui.application.IWorkbenchWindowConfigurer;
import org.eclipse.ui.application.WorkbenchAdvisor;
import org.eclipse.ui.application.WorkbenchWindowAdvisor;

/** The trajlab workbench (application {@code org.trajlab.ui.workbench}): a 3.x RCP application. */
public class WorkbenchApplication implements IApplication {
  public static final String TITLE = "trajlab \u2014 SGD Trajectory Lab";

  @Override
  public Object start(IApplicationContext context) throws Exception {
    UiPreferences.applyJavacppCache(); // before the engine first loads its natives
    UiPreferences.applyThreads();
    Display display = PlatformUI.createDisplay();
    try {
      int rc = PlatformUI.createAndRunWorkbench(display, new Advisor());
      return rc == PlatformUI.RETURN_RESTART ? IApplication.EXIT_RESTART : IApplication.EXIT_OK;
    } finally {
      display.dispose();
    }
  }

  @Override
  public void stop() {
    if (!PlatformUI.isWorkbenchRunning()) {
      return;
    }
    IWorkbench workbench = PlatformUI.getWorkbench();
    Display display = workbench.getDisplay();
    display.syncExec(() -> {
      if (!display.isDisposed()) {
        workbench.close();
      }
    });
  }

  /** Opens the trajlab perspective; the layout is not restored, so every start looks the same. */
  static class Advisor extends WorkbenchAdvisor {
    @Override
    public void initialize(IWorkbenchConfigurer configurer) {
      configurer.setSaveAndRestore(false);
    }

    @Override
    public String getInitialWindowPerspectiveId() {
      return Perspective.ID;
    }

    @Override
    public WorkbenchWindowAdvisor createWorkbenchWindowAdvisor(IWorkbenchWindowConfigurer configurer) {
      return new WindowAdvisor(configurer);
    }
  }

  /** Title, size, and the toolbar and status line (which shows the progress of running jobs). */
  static class WindowAdvisor extends WorkbenchWindowAdvisor {
    WindowAdvisor(IWorkbenchWindowConfigurer configurer) {
      super(configurer);
    }

    @Override
    public ActionBarAdvisor createActionBarAdvisor(IActionBarConfigurer configurer) {
      return new ActionBars(configurer);
    }

    @Override
    public void preWindowOpen() {
      IWorkbenchWindowConfigurer c = getWindowConfigurer();
      c.setInitialSize(new Point(1400, 900));
      c.setShowCoolBar(true);
      c.setShowStatusLine(true);
      c.setShowProgressIndicator(true);
      c.setTitle(TITLE);
    }
  }

  /**
   * File and Window menus with the standard actions; plugin.xml contributes the Run menu, the instruments submenu
   * and the toolbar button into the "additions" groups made here.
   */
  static class ActionBars extends ActionBarAdvisor {
    private IAction quit;
    private IAction preferences;
    private IAction resetPerspective;

    ActionBars(IActionBarConfigurer configurer) {
      super(configurer);
    }

    @Override
    protected void makeActions(IWorkbenchWindow window) {
      quit = registered(ActionFactory.QUIT.create(window));
      preferences = registered(ActionFactory.PREFERENCES.create(window));
      resetPerspective = registered(ActionFactory.RESET_PERSPECTIVE.create(window));
    }

    private IAction registered(IAction action) {
      register(action);
      return action;
    }

    @Override
    protected void fillMenuBar(IMenuManager menuBar) {
      MenuManager file = new MenuManager("&File", IWorkbenchActionConstants.M_FILE);
      file.add(new GroupMarker(IWorkbenchActionConstants.MB_ADDITIONS));
      file.add(new Separator());
      file.add(quit);
      menuBar.add(file);

      menuBar.add(new GroupMarker(IWorkbenchActionConstants.MB_ADDITIONS));

      MenuManager window = new MenuManager("&Window", IWorkbenchActionConstants.M_WINDOW);
      window.add(new GroupMarker(IWorkbenchActionConstants.MB_ADDITIONS));
      MenuManager showView = new MenuManager("Show &View");
      showView.add(ContributionItemFactory.VIEWS_SHORTLIST.create(getActionBarConfigurer().getWindowConfigurer()
          .getWindow()));
      window.add(showView);
      window.add(resetPerspective);
      window.add(new Separator());
      window.add(preferences);
      menuBar.add(window);

      MenuManager help = new MenuManager("&Help", IWorkbenchActionConstants.M_HELP); // plugin.xml: trajlab Help
      help.add(new GroupMarker(IWorkbenchActionConstants.MB_ADDITIONS));
      menuBar.add(help);
    }

    @Override
    protected void fillCoolBar(ICoolBarManager coolBar) {
      coolBar.add(new GroupMarker(IWorkbenchActionConstants.MB_ADDITIONS));
    }
  }
}
