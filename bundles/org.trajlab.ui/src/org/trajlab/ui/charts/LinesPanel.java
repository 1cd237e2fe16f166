package org.trajlab.ui.charts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swtchart.ILineSeries.PlotSymbolType;
import org.eclipse.swtchart.LineStyle;
import org.eclipse.swtchart.extensions.linecharts.ILineSeriesData;
import org.eclipse.swtchart.extensions.linecharts.ILineSeriesSettings;
import org.eclipse.swtchart.extensions.linecharts.LineChart;
import org.eclipse.swtchart.extensions.linecharts.LineSeriesData;
import org.trajlab.api.chart.ChartKind;
import org.trajlab.api.chart.SeriesData;
import org.trajlab.api.chart.SeriesDescriptor;
import org.trajlab.api.store.MetricRow;

/**
 * {@link ChartKind#LINES}: every series, one SWTChart series each (its id is the series' label), at the x its
 * placement gives ({@link SeriesData#extract}), as a line or as points. On a log y axis the chart plots log10 of
 * the positive values (see {@link LogScale}).
 */
public class LinesPanel extends ChartPanel {
  private boolean empty = true;

  LinesPanel(Composite parent, org.trajlab.api.chart.ChartDescriptor d) {
    super(parent, d);
    hoverShowsPoints();
  }

  @Override
  protected boolean selectsSource() {
    return false; // every series is drawn
  }

  @Override
  protected void redraw(Collection<MetricRow> all) {
    List<ILineSeriesData> data = new ArrayList<>();
    int i = 0;
    for (SeriesDescriptor s : descriptor.series()) {
      SeriesData xy = SeriesData.extract(s, all);
      Color color = seriesColor(s, i++);
      double[] x = xy.x();
      double[] y = xy.y();
      if (descriptor.logY()) {
        List<double[]> kept = new ArrayList<>();
        for (int k = 0; k < x.length; k++) {
          if (LogScale.drawable(y[k])) {
            kept.add(new double[] { x[k], Math.log10(y[k]) });
          }
        }
        x = kept.stream().mapToDouble(p -> p[0]).toArray();
        y = kept.stream().mapToDouble(p -> p[1]).toArray();
      }
      if (x.length == 0) {
        continue;
      }
      LineSeriesData line = new LineSeriesData(new org.eclipse.swtchart.extensions.core.SeriesData(x, y, s.label()));
      style(line.getLineSeriesSettings(), s, color);
      if (!"points".equals(s.style())) {
        line.getLineSeriesSettings().setLineStyle(lineStyle(s, i - 1));
      }
      data.add(line);
    }
    chart.deleteSeries();
    chart.addSeriesData(data, LineChart.NO_COMPRESSION);
    empty = data.isEmpty();
    note(empty, descriptor.series().toArray(SeriesDescriptor[]::new));
  }

  @Override
  public boolean hasData() {
    return !empty;
  }

  /** the line style of the {@code i}-th declared series drawn as a line: solid */
  protected LineStyle lineStyle(SeriesDescriptor s, int i) {
    return LineStyle.SOLID;
  }

  /** the colour of the {@code i}-th declared series: the palette's, in order */
  protected Color seriesColor(SeriesDescriptor s, int i) {
    return color(PALETTE[i % PALETTE.length]);
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
}
