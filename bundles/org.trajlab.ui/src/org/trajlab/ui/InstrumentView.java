package org.trajlab.ui;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swtchart.Chart;
import org.eclipse.swtchart.ILineSeries.PlotSymbolType;
import org.eclipse.swtchart.LineStyle;
import org.eclipse.swtchart.extensions.core.IChartSettings;
import org.eclipse.swtchart.extensions.linecharts.ILineSeriesData;
import org.eclipse.swtchart.extensions.linecharts.ILineSeriesSettings;
import org.eclipse.swtchart.extensions.linecharts.LineChart;
import org.eclipse.swtchart.extensions.linecharts.LineSeriesData;
import org.eclipse.ui.ISelectionListener;
import org.eclipse.ui.IViewSite;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.part.ViewPart;
import org.trajlab.api.chart.ChartDescriptor;
import org.trajlab.api.chart.ChartGroup;
import org.trajlab.api.chart.ChartRegistry;
import org.trajlab.api.chart.SeriesData;
import org.trajlab.api.chart.SeriesDescriptor;
import org.trajlab.api.store.MetricRow;
import org.trajlab.api.store.MetricsReader;
import org.trajlab.api.store.RunFolder;
import org.trajlab.api.store.RunStatus;

/**
 * Draws one chart group of {@code org.trajlab.api.charts} for one run. The view's secondary id is the group id
 * (e.g. {@code walk}); each of the group's charts becomes an SWTChart line chart, stacked vertically. The view shows
 * the run selected in the Runs view (or {@link #showRun(RunFolder)}) and, while that run is not final, reads the
 * rows it appends every {@value #POLL_MILLIS} ms.
 */
public class InstrumentView extends ViewPart {
  public static final String ID = "org.trajlab.ui.instrumentView";
  public static final int POLL_MILLIS = 500;
  private static final int[] PALETTE = { SWT.COLOR_DARK_BLUE, SWT.COLOR_RED, SWT.COLOR_DARK_GREEN,
      SWT.COLOR_DARK_MAGENTA, SWT.COLOR_DARK_CYAN, SWT.COLOR_DARK_YELLOW, SWT.COLOR_BLACK };

  private ChartGroup group;
  /** (probe, quantity) pairs the group's series read, as "probe/quantity": the only rows kept */
  private final Set<String> wanted = new HashSet<>();
  private final Map<String, LineChart> charts = new LinkedHashMap<>();
  private RunFolder run;
  private MetricsReader reader;
  private final List<MetricRow> rows = new ArrayList<>();
  private boolean polling;
  private final Runnable poller = this::pollAndReschedule;
  private final ISelectionListener runsListener = this::runsSelectionChanged;

  @Override
  public void init(IViewSite site) throws PartInitException {
    super.init(site);
    String groupId = site.getSecondaryId();
    group = groupId == null ? null : ChartRegistry.fromExtensions().get(groupId);
    if (group != null) {
      setPartName(group.name());
      for (ChartDescriptor c : group.charts()) {
        for (SeriesDescriptor s : c.series()) {
          wanted.add(s.probe() + "/" + s.quantity());
          if (s.xQuantity() != null) {
            wanted.add(s.probe() + "/" + s.xQuantity());
          }
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
    SashForm sash = new SashForm(parent, SWT.VERTICAL);
    for (ChartDescriptor d : group.charts()) {
      charts.put(d.id(), createChart(sash, d));
    }
    getSite().getPage().addSelectionListener(RunsView.ID, runsListener);
    runsSelectionChanged(null, getSite().getPage().getSelection(RunsView.ID));
    if (run == null) {
      setContentDescription("Select a run in the Runs view.");
    }
  }

  private static LineChart createChart(Composite parent, ChartDescriptor d) {
    LineChart chart = new LineChart(parent, SWT.NONE);
    IChartSettings settings = chart.getChartSettings();
    settings.setTitle(d.title());
    settings.setTitleVisible(true);
    settings.setLegendVisible(true);
    settings.setLegendPosition(SWT.BOTTOM);
    settings.setLegendExtendedVisible(false);
    settings.getPrimaryAxisSettingsX().setTitle(d.xLabel() == null ? "update t" : d.xLabel());
    settings.getPrimaryAxisSettingsY().setTitle(d.yLabel() == null ? "" : d.yLabel());
    settings.getPrimaryAxisSettingsY().setEnableLogScale(d.logY());
    settings.getRangeRestriction().setZeroX(false); // the default clips negative values (cosines, say) away
    settings.getRangeRestriction().setZeroY(false);
    settings.setHorizontalSliderVisible(false);
    settings.setVerticalSliderVisible(false);
    chart.applySettings(settings);
    return chart;
  }

  private void runsSelectionChanged(IWorkbenchPart part, ISelection selection) {
    if (selection instanceof IStructuredSelection s && s.getFirstElement() instanceof RunFolder folder) {
      showRun(folder);
    }
  }

  /** shows {@code folder}'s metrics (all rows so far, then the new ones while it runs) */
  public void showRun(RunFolder folder) {
    if (group == null || (run != null && run.dir().equals(folder.dir()))) {
      return;
    }
    run = folder;
    reader = folder.metricsReader();
    rows.clear();
    for (LineChart chart : charts.values()) {
      chart.deleteSeries();
      chart.redraw();
    }
    if (!polling) {
      polling = true;
      pollAndReschedule();
    }
  }

  private void pollAndReschedule() {
    if (charts.isEmpty() || charts.values().iterator().next().isDisposed() || run == null) {
      polling = false;
      return;
    }
    polling = poll();
    if (polling) {
      charts.values().iterator().next().getDisplay().timerExec(POLL_MILLIS, poller);
    }
  }

  /**
   * reads the rows added since the last call and redraws the charts when some matter to them
   *
   * @return whether the run may still add rows (it is not final yet)
   */
  private boolean poll() {
    RunStatus status = run.readStatus(); // read before the rows: once final, this read gets everything
    boolean changed = false;
    try {
      for (MetricRow r : reader.readNew()) {
        if (wanted.contains(r.probe() + "/" + r.quantity())) {
          rows.add(r);
          changed = true;
        }
      }
    } catch (IOException e) {
      setContentDescription(run.name() + ": " + e.getMessage());
      return !status.state.isFinal();
    }
    if (changed) {
      redraw();
    }
    setContentDescription(run.name() + "  (" + status.state + ", step " + status.step + "/" + status.totalSteps + ")");
    return !status.state.isFinal();
  }

  private void redraw() {
    Display display = getSite().getShell().getDisplay();
    for (ChartDescriptor d : group.charts()) {
      LineChart chart = charts.get(d.id());
      List<ILineSeriesData> data = new ArrayList<>();
      int i = 0;
      for (SeriesDescriptor s : d.series()) {
        SeriesData xy = SeriesData.extract(s, rows);
        Color color = display.getSystemColor(PALETTE[i++ % PALETTE.length]);
        if (xy.size() == 0) {
          continue;
        }
        LineSeriesData line = new LineSeriesData(
            new org.eclipse.swtchart.extensions.core.SeriesData(xy.x(), xy.y(), s.label()));
        style(line.getLineSeriesSettings(), s, color);
        data.add(line);
      }
      chart.deleteSeries();
      chart.addSeriesData(data, LineChart.NO_COMPRESSION);
    }
  }

  private static void style(ILineSeriesSettings settings, SeriesDescriptor s, Color color) {
    settings.setDescription(s.label());
    settings.setEnableArea(false);
    settings.setLineColor(color);
    settings.setSymbolColor(color);
    if ("points".equals(s.style())) {
      settings.setLineStyle(LineStyle.NONE);
      settings.setSymbolType(PlotSymbolType.CIRCLE);
      settings.setSymbolSize(3);
    } else {
      settings.setLineStyle(LineStyle.SOLID);
      settings.setLineWidth(1);
      settings.setSymbolType(PlotSymbolType.NONE);
    }
  }

  /** the run shown, or null */
  public RunFolder getRun() {
    return run;
  }

  /** whether the view still reads the shown run's new rows (the run is not final yet) */
  public boolean isFollowing() {
    return polling;
  }

  /** the group drawn, or null when no bundle contributes the secondary id's group */
  public ChartGroup getGroup() {
    return group;
  }

  /** chart id -> the SWTChart chart that draws it, in the group's order */
  public Map<String, Chart> getCharts() {
    Map<String, Chart> m = new LinkedHashMap<>();
    charts.forEach((id, c) -> m.put(id, c.getBaseChart()));
    return Collections.unmodifiableMap(m);
  }

  @Override
  public void setFocus() {
    if (!charts.isEmpty()) {
      charts.values().iterator().next().setFocus();
    }
  }

  @Override
  public void dispose() {
    getSite().getPage().removeSelectionListener(RunsView.ID, runsListener);
    if (!charts.isEmpty() && !charts.values().iterator().next().isDisposed()) {
      charts.values().iterator().next().getDisplay().timerExec(-1, poller);
    }
    super.dispose();
  }
}
