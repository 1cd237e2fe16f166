package org.trajlab.ui;

import java.util.Map;

import org.eclipse.ui.IFolderLayout;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;
import org.eclipse.ui.PlatformUI;
import org.trajlab.api.chart.ChartGroup;

/** Runs on the left (progress below them), the instruments on the right, the walk in front. */
public class Perspective implements IPerspectiveFactory {
  public static final String ID = "org.trajlab.ui.perspective";
  public static final String INSTRUMENTS_FOLDER = "org.trajlab.ui.instruments";
  /** the chart group shown when the perspective opens, if some bundle contributes it */
  public static final String FIRST_GROUP = "walk";

  @Override
  public void createInitialLayout(IPageLayout layout) {
    String editorArea = layout.getEditorArea();
    layout.setEditorAreaVisible(false);
    layout.addView(RunsView.ID, IPageLayout.LEFT, 0.3f, editorArea);
    layout.addShowViewShortcut(RunsView.ID);
    layout.addShowViewShortcut(LinesView.ID);
    layout.addShowViewShortcut(CompareView.ID);

    IFolderLayout instruments = layout.createFolder(INSTRUMENTS_FOLDER, IPageLayout.RIGHT, 0.3f, RunsView.ID);
    instruments.addPlaceholder(InstrumentView.ID + ":*");
    instruments.addPlaceholder(LinesView.ID);
    instruments.addPlaceholder(CompareView.ID);
    Map<String, ChartGroup> groups = Instruments.groups();
    String first = groups.containsKey(FIRST_GROUP) ? FIRST_GROUP : groups.keySet().stream().findFirst().orElse(null);
    if (first != null) {
      instruments.addView(InstrumentView.ID + ":" + first);
    }

    if (PlatformUI.getWorkbench().getViewRegistry().find(IPageLayout.ID_PROGRESS_VIEW) != null) {
      layout.addView(IPageLayout.ID_PROGRESS_VIEW, IPageLayout.BOTTOM, 0.7f, RunsView.ID);
      layout.addShowViewShortcut(IPageLayout.ID_PROGRESS_VIEW);
    }
  }
}
