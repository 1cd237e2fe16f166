package org.trajlab.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.core.runtime.ILogListener;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabItem;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IViewReference;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.IHandlerService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunState;
import org.trajlab.ui.InstrumentView;
import org.trajlab.ui.RunJob;
import org.trajlab.ui.RunsView;
import org.trajlab.ui.TrajlabPreferencePage;
import org.trajlab.ui.UiPreferences;
import org.trajlab.ui.WorkbenchApplication;

/** The window the application opens: title, perspective, menus, the instruments entries, the preference page. */
class WorkbenchTest {
  @TempDir
  Path root;

  @Test
  void theApplicationsWindowHasTheTrajlabTitleAndPerspective() throws Exception {
    IWorkbenchPage page = UiTests.trajlabPage();
    assertEquals(WorkbenchApplication.TITLE, page.getWorkbenchWindow().getShell().getText());
    assertNotNull(page.findView(RunsView.ID), "the Runs view is not in the perspective");
    assertNotNull(page.findViewReference(InstrumentView.ID, "walk"), "the Walk view is not in the perspective");
    assertNotNull(PlatformUI.getWorkbench().getPreferenceManager().find("org.trajlab.ui.preferences"),
        "no trajlab preference page");
  }

  /**
   * Two instrument views stacked in the instruments folder (the selected one and one behind it) both show their
   * titles: painting the tab row logs no error, and the tab behind has dark (text) pixels. With the workbench's SVG
   * default icon and no SVG rasteriser, drawing the unselected tab threw and the folder drew no titles at all.
   */
  @Test
  void stackedInstrumentViewsDrawTheirTabTitles() throws Exception {
    IWorkbenchPage page = UiTests.trajlabPage();
    Shell shell = page.getWorkbenchWindow().getShell();
    shell.setBounds(0, 0, 1400, 870);
    List<IStatus> errors = new ArrayList<>();
    ILogListener listener = (status, plugin) -> {
      if (status.getSeverity() == IStatus.ERROR) errors.add(status);
    };
    Platform.addLogListener(listener);
    try {
      page.showView(InstrumentView.ID, "walk", IWorkbenchPage.VIEW_ACTIVATE);
      InstrumentView curvature = (InstrumentView) page.showView(InstrumentView.ID, "curvature",
          IWorkbenchPage.VIEW_ACTIVATE);
      page.showView(InstrumentView.ID, "walk", IWorkbenchPage.VIEW_ACTIVATE); // curvature now behind walk
      CTabFolder folder = folderOf(curvature.getSite().getShell(), "Curvature");
      assertNotNull(folder, "no tab folder holds the Curvature view");
      CTabItem behind = null;
      for (CTabItem item : folder.getItems()) {
        if (item.getText().equals("Curvature")) behind = item;
      }
      assertNotNull(behind);
      assertTrue(folder.getSelection() != behind, "the Curvature tab should be the one behind");
      folder.redraw();
      UiTests.spin(Duration.ofSeconds(1));
      assertEquals(List.of(), errors.stream().map(IStatus::getMessage).toList(), "errors while painting the tabs");

      Rectangle tab = behind.getBounds();
      Image image = new Image(folder.getDisplay(), tab.width, tab.height);
      GC gc = new GC(folder);
      try {
        gc.copyArea(image, tab.x, tab.y);
        ImageData data = image.getImageData();
        int dark = 0;
        for (int y = 0; y < data.height; y++) {
          for (int x = 0; x < data.width; x++) {
            RGB rgb = data.palette.getRGB(data.getPixel(x, y));
            if (rgb.red + rgb.green + rgb.blue < 3 * 110) dark++;
          }
        }
        assertTrue(dark >= 30, "the Curvature tab behind has " + dark + " dark pixels: its title is not drawn");
      } finally {
        gc.dispose();
        image.dispose();
      }
    } finally {
      Platform.removeLogListener(listener);
    }
  }

  /** the tab folder with an item titled {@code title}, or null */
  private static CTabFolder folderOf(Composite composite, String title) {
    for (Control c : composite.getChildren()) {
      if (c instanceof CTabFolder f && Arrays.stream(f.getItems()).anyMatch(i -> i.getText().equals(title))) {
        return f;
      }
      if (c instanceof Composite inner) {
        CTabFolder found = folderOf(inner, title);
        if (found != null) return found;
      }
    }
    return null;
  }

  @Test
  void windowMenuOpensEveryInstrumentAndRunMenuOffersNewRun() throws Exception {
    IWorkbenchPage page = UiTests.trajlabPage();
    IViewReference walk = page.findViewReference(InstrumentView.ID, "walk");
    if (walk != null) {
      page.hideView(walk);
    }
    Shell shell = page.getWorkbenchWindow().getShell();
    assertNotNull(item(shell.getMenuBar(), "Run", "New run"), "Run > New run is missing");
    MenuItem instruments = item(shell.getMenuBar(), "Window", "trajlab instruments");
    assertNotNull(instruments, "Window > trajlab instruments is missing");
    MenuItem walkItem = item(instruments.getMenu(), "Walk");
    assertNotNull(walkItem, "Window > trajlab instruments has no Walk entry");
    walkItem.notifyListeners(SWT.Selection, new Event());
    UiTests.spinUntil(() -> page.findViewReference(InstrumentView.ID, "walk") != null, Duration.ofSeconds(5),
        "the Walk view to open from the menu");
    assertTrue(page.findViewReference(InstrumentView.ID, "walk").getPart(true) instanceof InstrumentView);
  }

  @Test
  void newRunStartsTheDefaultExperimentAsAJobAndShowsIt() throws Exception {
    UiPreferences.store().setValue(UiPreferences.RUNS_ROOT, root.toString());
    UiPreferences.store().setValue(UiPreferences.FASHION_MNIST_DIR, UiPreferences.DEBIAN_FASHION_MNIST);
    IWorkbenchPage page = UiTests.trajlabPage();
    RunsView runs = (RunsView) page.showView(RunsView.ID);
    InstrumentView walk = (InstrumentView) page.showView(InstrumentView.ID, "walk", IWorkbenchPage.VIEW_VISIBLE);
    // a refused spec would open a modal dialog: close it after a minute so the test fails instead of hanging
    Display display = Display.getCurrent();
    Shell window = page.getWorkbenchWindow().getShell();
    AtomicReference<String> dialog = new AtomicReference<>();
    Runnable closeDialog = () -> {
      Shell active = display.getActiveShell();
      if (active != null && active != window) {
        dialog.set(active.getText());
        active.close();
      }
    };
    display.timerExec(60_000, closeDialog);
    try {
      PlatformUI.getWorkbench().getService(IHandlerService.class).executeCommand("org.trajlab.ui.newRun", null);
    } finally {
      display.timerExec(-1, closeDialog);
    }
    assertNull(dialog.get(), "New run opened a dialog");

    Job[] jobs = Job.getJobManager().find(RunJob.FAMILY);
    assertEquals(1, jobs.length, "run jobs after New run");
    RunJob job = (RunJob) jobs[0];
    RunFolder folder = job.getFolder();
    assertEquals(root, folder.dir().getParent());
    try {
      UiTests.spinUntil(() -> folder.readStatus().state == RunState.RUNNING, Duration.ofMinutes(2),
          "the default experiment to start");
      assertEquals(UiPreferences.DEBIAN_FASHION_MNIST, folder.readSpec().data.dir);
      UiTests.spinUntil(() -> runs.getViewer().getStructuredSelection().getFirstElement() instanceof RunFolder f
          && f.dir().equals(folder.dir()), Duration.ofSeconds(10), "the Runs view to select the new run");
      UiTests.spinUntil(() -> walk.getRun() != null && walk.getRun().dir().equals(folder.dir()),
          Duration.ofSeconds(5), "the walk view to follow the new run");
    } finally {
      job.cancel();
      UiTests.spinUntil(() -> job.getState() == Job.NONE && job.getResult() != null, Duration.ofMinutes(2),
          "the cancelled default experiment to end");
      UiPreferences.store().setToDefault(UiPreferences.FASHION_MNIST_DIR);
    }
    assertEquals(IStatus.CANCEL, job.getResult().getSeverity());
    assertEquals(RunState.CANCELLED, folder.readStatus().state);
  }

  @Test
  void preferencePageAcceptsARunsFolderThatDoesNotExistYet() throws Exception {
    Path notYet = root.resolve("not-yet");
    UiPreferences.store().setValue(UiPreferences.RUNS_ROOT, notYet.toString());
    Shell shell = new Shell(Display.getCurrent());
    try {
      TrajlabPreferencePage page = new TrajlabPreferencePage();
      page.init(PlatformUI.getWorkbench());
      page.createControl(shell);
      assertTrue(page.isValid(), page.getErrorMessage());
      assertEquals(notYet, UiPreferences.runsRoot());
      page.dispose();
    } finally {
      shell.dispose();
    }
  }

  /** the menu item at {@code path} below {@code menu}, each menu shown first so dynamic entries are filled in */
  private static MenuItem item(Menu menu, String... path) {
    MenuItem found = null;
    for (String label : path) {
      if (menu == null) {
        return null;
      }
      menu.notifyListeners(SWT.Show, new Event());
      found = null;
      for (MenuItem i : menu.getItems()) {
        if (i.getText().replace("&", "").split("\t")[0].equals(label)) {
          found = i;
        }
      }
      if (found == null) {
        return null;
      }
      menu = found.getMenu();
    }
    return found;
  }
}
