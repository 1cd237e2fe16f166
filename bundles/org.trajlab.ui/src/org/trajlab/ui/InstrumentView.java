package org.trajlab.ui;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StackLayout;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Link;
import org.eclipse.swt.widgets.Slider;
import org.eclipse.swtchart.Chart;
import org.eclipse.ui.IViewSite;
import org.eclipse.ui.PartInitException;
import org.trajlab.api.chart.ChartDescriptor;
import org.trajlab.api.chart.ChartGroup;
import org.trajlab.api.chart.ChartRegistry;
import org.trajlab.api.chart.SeriesDescriptor;
import org.trajlab.api.store.MetricRow;
import org.trajlab.api.store.RunStatus;
import org.trajlab.ui.charts.ChartGridLayout;
import org.trajlab.ui.charts.ChartPanel;

/**
 * The generic renderer of {@code org.trajlab.api.charts}: draws one chart group for one run. The view's secondary id
 * is the group id (e.g. {@code walk}), its title the group's name; each chart becomes the {@link ChartPanel} of its
 * kind (lines, spectrum, density, heat map, scatter), laid out in the group's columns at a legible minimum height; when they
 * do not all fit, the view shows the rows that do and a slider scrolls by whole rows ({@link ChartGridLayout}). The view shows the run selected in the Runs view (or {@link #showRun}) and, while
 * that run is not final, reads the rows it appends ({@link RunFollowingView}).
 * <p>
 * A view with nothing to show says why in a sentence instead of empty axes: no run selected; the run's spec has
 * none of the group's probes (and which one to add, e.g. {@code {"type": "walk"}}); or the probe has not written
 * rows yet. It then offers the instrument views that draw the run's probes, as links.
 */
public class InstrumentView extends RunFollowingView {
  public static final String ID = "org.trajlab.ui.instrumentView";

  private ChartGroup group;
  /** (probe, quantity) pairs the group's series read, as "probe/quantity": the only rows kept */
  private final Set<String> wanted = new HashSet<>();
  private final Map<String, ChartPanel> panels = new LinkedHashMap<>();
  private final List<MetricRow> rows = new ArrayList<>();
  private Composite root;
  private StackLayout stack;
  private Composite messagePage;
  private Link message;
  private Composite chartsPage;
  private Composite content;
  private ChartGridLayout grid;
  /** scrolls the charts by whole rows when they do not all fit; hidden when they do */
  private Slider rowSlider;
  /** the probe types of the shown run's spec, or null while it cannot be read */
  private Set<String> specProbes;
  private boolean runFinal;

  @Override
  public void init(IViewSite site) throws PartInitException {
    super.init(site);
    String groupId = site.getSecondaryId();
    group = groupId == null ? null : Instruments.groups().get(groupId);
    if (group != null) {
      setPartName(group.name());
      for (ChartDescriptor c : group.charts()) {
        for (SeriesDescriptor s : c.series()) {
          wanted.addAll(s.reads());
        }
      }
    }
  }

  @Override
  public void createPartControl(Composite parent) {
    parent.setLayout(new FillLayout());
    if (group == null) {
      String id = getViewSite().getSecondaryId();
      new Label(parent, SWT.WRAP).setText(id == null
          ? "Open instrument views from Window > trajlab instruments."
          : "No installed bundle contributes the chart group '" + id + "' to " + ChartRegistry.EXTENSION_POINT + ".");
      return;
    }
    root = new Composite(parent, SWT.NONE);
    stack = new StackLayout();
    root.setLayout(stack);

    messagePage = new Composite(root, SWT.NONE);
    messagePage.setLayout(new GridLayout(1, false));
    message = new Link(messagePage, SWT.WRAP);
    GridData md = new GridData(SWT.FILL, SWT.TOP, true, false);
    md.widthHint = 600;
    message.setLayoutData(md);
    message.addListener(SWT.Selection, e -> {
      try {
        Instruments.show(getSite().getPage(), e.text);
      } catch (PartInitException ex) {
        setContentDescription("The " + e.text + " view cannot be opened: " + ex.getMessage());
      }
    });

    chartsPage = new Composite(root, SWT.NONE);
    GridLayout pageLayout = new GridLayout(2, false);
    pageLayout.marginWidth = 0;
    pageLayout.marginHeight = 0;
    pageLayout.horizontalSpacing = 2;
    chartsPage.setLayout(pageLayout);
    content = new Composite(chartsPage, SWT.NONE);
    content.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    grid = new ChartGridLayout(group.columns());
    content.setLayout(grid);
    for (ChartDescriptor d : group.charts()) {
      panels.put(d.id(), ChartPanel.create(content, d));
    }
    rowSlider = new Slider(chartsPage, SWT.VERTICAL);
    rowSlider.setLayoutData(new GridData(SWT.FILL, SWT.FILL, false, true));
    rowSlider.setToolTipText("More charts: scroll by rows");
    rowSlider.addListener(SWT.Selection, e -> showRowsFrom(rowSlider.getSelection()));
    content.addListener(SWT.Resize, e -> getSite().getShell().getDisplay().asyncExec(this::updateRowSlider));
    updateMessage();
    followRuns();
  }

  @Override
  protected Control anchor() {
    return root;
  }

  @Override
  protected void reset() {
    rows.clear();
    specProbes = Instruments.specProbes(getRun());
    runFinal = false;
    panels.values().forEach(p -> {
      p.forgetZoom(); // another run: fit its rows
      p.update(rows);
    });
    updateMessage();
  }

  @Override
  protected boolean accept(MetricRow r) {
    if (!wanted.contains(r.probe() + "/" + r.quantity())) return false;
    rows.add(r);
    return true;
  }

  @Override
  protected void rowsChanged() {
    panels.values().forEach(p -> p.update(rows));
    updateMessage();
  }

  @Override
  protected void statusRead(RunStatus status) {
    boolean changed = false;
    if (specProbes == null && getRun() != null) {
      specProbes = Instruments.specProbes(getRun());
      changed = specProbes != null;
    }
    if (status.state.isFinal() != runFinal) {
      runFinal = status.state.isFinal();
      changed = true;
    }
    if (changed) {
      updateMessage();
    }
  }

  /** shows the charts when any has data, else the sentence that says why there is nothing to show */
  private void updateMessage() {
    String text = emptyText();
    if (text == null) {
      stack.topControl = chartsPage;
    } else {
      if (!text.equals(message.getText())) {
        message.setText(text);
        messagePage.layout(true);
      }
      stack.topControl = messagePage;
    }
    root.layout();
  }

  /** the sentence (with links to other views) of a view with nothing to show, or null when a chart has data */
  private String emptyText() {
    if (getRun() == null) {
      return "Select a run in the Runs view.";
    }
    if (panels.values().stream().anyMatch(ChartPanel::hasData)) {
      return null;
    }
    return sentence(group, specProbes, runFinal) + offers();
  }

  /**
   * why a run shows nothing in {@code group}'s view: its spec has none of the group's probes (and which to add), or
   * the probe has written no rows yet (or none at all, once the run is final); {@code specProbes} null when the
   * spec cannot be read
   */
  public static String sentence(ChartGroup group, Set<String> specProbes, boolean runFinal) {
    List<String> probes = List.copyOf(group.probes());
    boolean one = probes.size() == 1;
    String example = "{\"type\": \"" + probes.get(0) + "\"}";
    String list = one ? probes.get(0)
        : String.join(", ", probes.subList(0, probes.size() - 1)) + " or " + probes.get(probes.size() - 1);
    String add = one ? "Add " + example : "Add one of them, e.g. " + example + ",";
    if (specProbes == null) {
      return "This run has no rows for the " + group.name() + " view, which draws the rows of " + (one ? "the " : "the probes ")
          + list + (one ? " probe" : "") + ". " + add + " to the \"probes\" of a run's spec to see them here.";
    }
    List<String> present = probes.stream().filter(specProbes::contains).toList();
    if (present.isEmpty()) {
      return "This run has nothing for the " + group.name() + " view: its spec has " + (one ? "no " + list + " probe"
          : "none of the probes " + list) + ". " + add + " to the spec's \"probes\" to see " + (one ? "its" : "their")
          + " rows here.";
    }
    String has = String.join(" and ", present);
    boolean several = present.size() > 1;
    return runFinal
        ? "This run's " + has + (several ? " probes" : " probe") + " wrote no rows that the " + group.name() + " view draws."
        : "No rows for the " + group.name() + " view yet: the " + has + (several ? " probes write them on their schedules."
            : " probe writes them on its schedule.");
  }

  /** " Views that draw this run's probes: <a>Curvature</a>, <a>Spectrum</a>." or "" */
  private String offers() {
    if (specProbes == null) {
      return "";
    }
    List<ChartGroup> others = Instruments.drawing(specProbes).stream().filter(g -> !g.id().equals(group.id())).toList();
    if (others.isEmpty()) {
      return "";
    }
    return "\n\nViews that draw this run's probes: " + others.stream()
        .map(g -> "<a href=\"" + g.id() + "\">" + g.name() + "</a>").collect(Collectors.joining(", ")) + ".";
  }

  /** shows the rows of charts from {@code row} on */
  private void showRowsFrom(int row) {
    grid.setFirstRow(row);
    content.layout(true);
    updateRowSlider();
  }

  /** the slider's range is the rows, its thumb the rows shown; hidden when every row is shown */
  private void updateRowSlider() {
    if (content.isDisposed()) {
      return;
    }
    Rectangle area = content.getClientArea();
    int rows = grid.rowMinimums(content, area.width).length;
    int shown = grid.visibleRows(content, area);
    boolean needed = shown < rows;
    GridData gd = (GridData) rowSlider.getLayoutData();
    if (gd.exclude == needed || rowSlider.getVisible() != needed) {
      gd.exclude = !needed;
      rowSlider.setVisible(needed);
      chartsPage.layout(true);
    }
    if (needed) {
      rowSlider.setValues(Math.min(grid.getFirstRow(), rows - shown), 0, rows, shown, 1, shown);
    }
  }

  /** scrolls the charts so that the row of chart {@code id} is shown */
  public void revealChart(String id) {
    int index = List.copyOf(panels.keySet()).indexOf(id);
    if (index < 0) {
      throw new IllegalArgumentException("no chart " + id + " in " + group.id());
    }
    Rectangle area = content.getClientArea();
    int row = grid.rowOf(content, index, area.width);
    int first = grid.getFirstRow();
    int shown = grid.visibleRows(content, area);
    if (row < first) {
      showRowsFrom(row);
    } else if (row >= first + shown) {
      showRowsFrom(row - shown + 1);
    }
  }

  /** whether chart {@code id} is shown now (its row is among those that fit) */
  public boolean isShown(String id) {
    ChartPanel p = panels.get(id);
    return p != null && p.getVisible() && stack.topControl == chartsPage;
  }

  /** the group drawn, or null when no bundle contributes the secondary id's group */
  public ChartGroup getGroup() {
    return group;
  }

  /** chart id -> the SWTChart chart that draws it, in the group's order */
  public Map<String, Chart> getCharts() {
    Map<String, Chart> m = new LinkedHashMap<>();
    panels.forEach((id, p) -> m.put(id, p.getChart()));
    return Collections.unmodifiableMap(m);
  }

  /** chart id -> its renderer, in the group's order */
  public Map<String, ChartPanel> getPanels() {
    return Collections.unmodifiableMap(panels);
  }

  /** the sentence shown instead of the charts, or null while the charts are shown */
  public String getMessage() {
    return stack != null && stack.topControl == messagePage ? message.getText() : null;
  }

  @Override
  public void setFocus() {
    if (root != null) {
      root.setFocus();
    }
  }
}
