package org.trajlab.ui.charts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.eclipse.swt.SWT;
import org.eclipse.swt.events.PaintEvent;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swtchart.IAxis;
import org.eclipse.swtchart.ICustomPaintListener;
import org.eclipse.swtchart.IPlotArea;
import org.eclipse.swtchart.Range;
import org.trajlab.api.chart.ChartDescriptor;
import org.trajlab.api.chart.ChartKind;
import org.trajlab.api.chart.HeatmapData;
import org.trajlab.api.chart.SeriesDescriptor;
import org.trajlab.api.store.MetricRow;

/**
 * {@link ChartKind#HEATMAP}: the values as cells over the steps (x) and the rows' index (y), coloured by value on
 * the {@link Colormap} from the smallest to the largest value drawn, with a colour scale beside the chart. A cell
 * reaches halfway to its neighbours (steps need not be evenly spaced: a walk may run every update, then every
 * tenth); a missing value leaves its cell empty. Hovering over a cell shows "step t, index = …, label = …".
 */
public class HeatmapPanel extends ChartPanel {
  private final ColourScale scale;
  private SeriesDescriptor source;
  private HeatmapData data = new HeatmapData(new double[0], new double[0], new double[0][]);
  private double min = Double.NaN;
  private double max = Double.NaN;
  /** cell edges: steps[i] spans stepEdges[i]..stepEdges[i + 1], indices[j] spans indexEdges[j]..indexEdges[j + 1] */
  private double[] stepEdges = new double[0];
  private double[] indexEdges = new double[0];

  HeatmapPanel(Composite parent, ChartDescriptor d) {
    super(parent, d);
    ((GridLayout) getLayout()).numColumns = 2;
    if (header() != null) {
      ((GridData) header().getLayoutData()).horizontalSpan = 2;
    }
    scale = new ColourScale(this);
    IPlotArea plot = chart.getBaseChart().getPlotArea();
    plot.addCustomPaintListener(new ICustomPaintListener() {
      @Override
      public void paintControl(PaintEvent e) {
        paintCells(e.gc);
      }

      @Override
      public boolean drawBehindSeries() {
        return true;
      }
    });
    plot.getControl().addListener(SWT.MouseMove, e -> plot.setToolTipText(hoverText(e.x, e.y)));
  }

  @Override
  protected boolean legendVisible() {
    return false; // the colour scale is the legend
  }

  @Override
  protected void redraw(Collection<MetricRow> all) {
    source = source(all);
    data = HeatmapData.extract(source, all);
    min = data.min();
    max = data.max();
    stepEdges = edges(data.steps());
    indexEdges = edges(data.indices());
    if (!data.isEmpty()) {
      xAxis().setRange(new Range(stepEdges[0], stepEdges[stepEdges.length - 1]));
      yAxis().setRange(new Range(indexEdges[0], indexEdges[indexEdges.length - 1]));
    }
    note(data.isEmpty() || Double.isNaN(min), source);
    scale.show(source.label(), data.isEmpty() ? Double.NaN : min, max, false);
  }

  /** the boundaries between sorted centres: halfway between neighbours, the outer ones as far out as the inner */
  static double[] edges(double[] centres) {
    int n = centres.length;
    if (n == 0) {
      return new double[0];
    }
    double[] e = new double[n + 1];
    if (n == 1) {
      e[0] = centres[0] - 0.5;
      e[1] = centres[0] + 0.5;
      return e;
    }
    for (int i = 1; i < n; i++) {
      e[i] = (centres[i - 1] + centres[i]) / 2;
    }
    e[0] = centres[0] - (e[1] - centres[0]);
    e[n] = centres[n - 1] + (centres[n - 1] - e[n - 1]);
    return e;
  }

  /** a cell in pixels (at least 1 × 1) and its value */
  private interface Cell {
    void at(int left, int top, int width, int height, double value);
  }

  /** every cell with a finite value, in pixels of the plot area, step by step */
  private void forEachCell(Cell cell) {
    IAxis x = xAxis();
    IAxis y = yAxis();
    for (int i = 0; i < data.steps().length; i++) {
      int x0 = x.getPixelCoordinate(stepEdges[i]);
      int x1 = x.getPixelCoordinate(stepEdges[i + 1]);
      for (int j = 0; j < data.indices().length; j++) {
        double v = data.values()[i][j];
        if (!Double.isFinite(v)) {
          continue;
        }
        int y0 = y.getPixelCoordinate(indexEdges[j]);
        int y1 = y.getPixelCoordinate(indexEdges[j + 1]);
        cell.at(Math.min(x0, x1), Math.min(y0, y1), Math.max(1, Math.abs(x1 - x0)), Math.max(1, Math.abs(y1 - y0)), v);
      }
    }
  }

  private void paintCells(GC gc) {
    if (data.isEmpty() || Double.isNaN(min)) {
      return;
    }
    forEachCell((left, top, width, height, v) -> {
      gc.setBackground(Colormap.color(v, min, max));
      gc.fillRectangle(left, top, width, height);
    });
  }

  /** the cell under ({@code px}, {@code py}) in the plot area as {i, j}, or null */
  public int[] cellAt(int px, int py) {
    if (data.isEmpty()) {
      return null;
    }
    int i = interval(stepEdges, xAxis().getDataCoordinate(px));
    int j = interval(indexEdges, yAxis().getDataCoordinate(py));
    return i < 0 || j < 0 ? null : new int[] { i, j };
  }

  private static int interval(double[] edges, double v) {
    if (edges.length < 2 || v < edges[0] || v > edges[edges.length - 1]) {
      return -1;
    }
    int k = Arrays.binarySearch(edges, v);
    int i = k >= 0 ? k : -k - 2;
    return Math.min(i, edges.length - 2);
  }

  /** the centre of cell (i, j) in plot-area pixels */
  public Point cellCentre(int i, int j) {
    return new Point(xAxis().getPixelCoordinate(data.steps()[i]), yAxis().getPixelCoordinate(data.indices()[j]));
  }

  /** the tooltip for the pointer at ({@code x}, {@code y}) in the plot area, or null outside the cells */
  public String hoverText(int x, int y) {
    int[] c = cellAt(x, y);
    if (c == null || !Double.isFinite(data.values()[c[0]][c[1]])) {
      return null;
    }
    String index = descriptor.yLabel() == null || descriptor.yLabel().isBlank() ? "index" : descriptor.yLabel();
    return String.format(Locale.ROOT, "step %d, %s = %.4g, %s = %.6g", (long) data.steps()[c[0]], index,
        data.indices()[c[1]], source.label(), data.values()[c[0]][c[1]]);
  }

  /** the colour cell (i, j) is painted with */
  public RGB cellColor(int i, int j) {
    return Colormap.rgb(data.values()[i][j], min, max);
  }

  /** the grid drawn */
  public HeatmapData getData() {
    return data;
  }

  @Override
  public boolean hasData() {
    return !data.isEmpty() && !Double.isNaN(min);
  }

  /** the probe whose rows are drawn */
  public String getSource() {
    return source == null ? null : source.probe();
  }

  @Override
  protected ColourScale colourScale() {
    return scale;
  }

  /** the cells: quantity, step, index, value (one row per cell with a value) */
  @Override
  public List<List<String>> exportTable() {
    List<List<String>> table = new ArrayList<>();
    table.add(List.of("quantity", "step", "index", "value"));
    if (hasData()) {
      for (int i = 0; i < data.steps().length; i++) {
        for (int j = 0; j < data.indices().length; j++) {
          double v = data.values()[i][j];
          if (Double.isFinite(v)) {
            table.add(List.of(source.label(), Double.toString(data.steps()[i]), Double.toString(data.indices()[j]),
                Double.toString(v)));
          }
        }
      }
    }
    return table;
  }

  @Override
  protected void exportShapes(ChartExport.Svg svg, int ox, int oy) {
    if (!hasData()) {
      return;
    }
    forEachCell((left, top, width, height, v) -> svg.rect(ox + left, oy + top, width, height,
        ChartExport.hex(Colormap.rgb(v, min, max)), null));
  }
}
