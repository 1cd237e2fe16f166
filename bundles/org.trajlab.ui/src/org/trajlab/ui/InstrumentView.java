package org.trajlab.ui;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
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
import org.eclipse.ui.IViewSite;
import org.eclipse.ui.PartInitException;
import org.trajlab.api.chart.ChartDescriptor;
import org.trajlab.api.chart.ChartGroup;
import org.trajlab.api.chart.ChartRegistry;
import org.trajlab.api.chart.SeriesData;
import org.trajlab.api.chart.SeriesDescriptor;
import org.trajlab.api.store.MetricRow;

/**
 * Draws one chart group of {@code org.trajlab.api.charts} for one run. The view's secondary id is the group id
 * (e.g. {@code walk}); each of the group's charts becomes an SWTChart line chart, stacked vertically. The view shows
 * the run selected in the Runs view (or {@link #showRun(org.trajlab.api.store.RunFolder)}) and, while that run is not final, reads the
 * rows it appends ({@link RunFollowingView}).
 */
public class InstrumentView extends RunFollowingView {
  public static final String ID = "org.trajlab.ui.instrumentView";
  private static final int[] PALETTE = { SWT.COLOR_DARK_BLUE, SWT.COLOR_RED, SWT.COLOR_DARK_GREEN,
      SWT.COLOR_DARK_MAGENTA, SWT.COLOR_DARK_CYAN, SWT.COLOR_DARK_YELLOW, SWT.COLOR_BLACK };

  private ChartGroup group;
  /** (probe, quantity) pairs the group's series read, as "probe/quantity": the only rows kept */
  private final Set<String> wanted = new HashSet<>();
  private final Map<String, LineChart> charts = new LinkedHashMap<>();
  private final List<MetricRow> rows = new ArrayList<>();

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
    followRuns();
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

  @Override
  protected Control anchor() {
    return charts.isEmpty() ? null : charts.values().iterator().next();
  }

  @Override
  protected void reset() {
    rows.clear();
    for (LineChart chart : charts.values()) {
      chart.deleteSeries();
      chart.redraw();
    }
  }

  @Override
  protected boolean accept(MetricRow r) {
    if (!wanted.contains(r.probe() + "/" + r.quantity())) return false;
    rows.add(r);
    return true;
  }

  @Override
  protected void rowsChanged() {
    redraw();
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

}
