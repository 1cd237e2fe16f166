package org.trajlab.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swtchart.IAxis;
import org.eclipse.swtchart.Range;
import org.junit.jupiter.api.Test;
import org.trajlab.api.chart.ChartDescriptor;
import org.trajlab.api.chart.ChartKind;
import org.trajlab.api.chart.SeriesDescriptor;
import org.trajlab.api.store.MetricRow;
import org.trajlab.testing.ui.EventLoop;
import org.trajlab.ui.charts.AxisRanges;
import org.trajlab.ui.charts.ChartPanel;

/**
 * Zoom and pan survive live rows: once the person moved an axis (SWTChart's wheel zoom, drag to zoom, pan), new
 * rows keep it where it was put; "Fit axes to the data" (and another run shown) fits the axes to the rows again.
 */
class ZoomTest {
  @Test
  void aZoomSurvivesNewRowsUntilTheAxesAreFittedAgain() {
    Shell shell = new Shell(Display.getDefault());
    try {
      shell.setLayout(new FillLayout());
      shell.setSize(800, 500);
      ChartDescriptor d = new ChartDescriptor("t.loss", ChartKind.LINES, "loss", "update t", "loss", false,
          ChartDescriptor.DEFAULT_DECADES, null, false, Double.NaN,
          List.of(SeriesDescriptor.of("train", "loss_batch", "batch loss", null, null)));
      ChartPanel panel = ChartPanel.create(shell, d);
      shell.open();
      EventLoop.spin(Duration.ofMillis(200));
      panel.update(rows(10));
      IAxis x = panel.getChart().getAxisSet().getXAxis(0);
      assertRange(AxisRanges.linear(0, 9), x.getRange());
      assertFalse(panel.isZoomed());
      assertTrue(panel.menuEntryNames().contains(ChartPanel.FIT), panel.menuEntryNames().toString());

      x.setRange(new Range(2, 5)); // what SWTChart's zoom does to the axis
      assertTrue(panel.isZoomed());
      panel.update(rows(20));
      assertRange(new Range(2, 5), x.getRange());
      assertEquals(20, panel.getChart().getSeriesSet().getSeries("batch loss").getXSeries().length, "the rows are drawn");

      panel.fitToData();
      assertFalse(panel.isZoomed());
      assertRange(AxisRanges.linear(0, 19), x.getRange());
      panel.update(rows(30));
      assertRange(AxisRanges.linear(0, 29), x.getRange()); // not zoomed: new rows fit again

      x.setRange(new Range(2, 5));
      panel.forgetZoom(); // another run shown
      panel.update(rows(5));
      assertRange(AxisRanges.linear(0, 4), x.getRange());
    } finally {
      shell.dispose();
    }
  }

  private static List<MetricRow> rows(int n) {
    List<MetricRow> rows = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      rows.add(new MetricRow(t, 1, "train", "loss_batch", Double.NaN, 2.0 / (1 + t)));
    }
    return rows;
  }

  private static void assertRange(Range expected, Range actual) {
    assertEquals(expected.lower, actual.lower, 1e-9, "lower");
    assertEquals(expected.upper, actual.upper, 1e-9, "upper");
  }
}
