package org.trajlab.ui.wizards;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swtchart.Chart;
import org.eclipse.swtchart.IAxis;
import org.eclipse.swtchart.ILineSeries;
import org.eclipse.swtchart.ISeries;
import org.eclipse.swtchart.Range;

/** η, S and η/S over the updates of a run's plan, three small line charts side by side. */
public class SchedulePlot extends Composite {
  public static final String ETA = "η";
  public static final String S = "S";
  public static final String RATIO = "η/S";
  private final Chart[] charts = new Chart[3];

  public SchedulePlot(Composite parent) {
    super(parent, SWT.NONE);
    GridLayout layout = new GridLayout(3, true);
    layout.marginWidth = 0;
    setLayout(layout);
    String[] titles = { "learning rate η", "batch size S", "η / S" };
    String[] ids = { ETA, S, RATIO };
    for (int i = 0; i < 3; i++) {
      Chart c = new Chart(this, SWT.NONE);
      GridData d = new GridData(SWT.FILL, SWT.FILL, true, true);
      d.heightHint = 190;
      d.widthHint = 220;
      c.setLayoutData(d);
      c.getTitle().setText(titles[i]);
      c.getLegend().setVisible(false);
      c.getAxisSet().getXAxis(0).getTitle().setText("update t");
      c.getAxisSet().getYAxis(0).getTitle().setVisible(false);
      ILineSeries<?> s = (ILineSeries<?>) c.getSeriesSet().createSeries(ISeries.SeriesType.LINE, ids[i]);
      s.setSymbolType(ILineSeries.PlotSymbolType.NONE);
      s.setLineWidth(2);
      s.setLineColor(getDisplay().getSystemColor(i == 0 ? SWT.COLOR_DARK_BLUE : i == 1 ? SWT.COLOR_DARK_GREEN
          : SWT.COLOR_DARK_MAGENTA));
      charts[i] = c;
    }
  }

  /** draws η and S of updates [from, lr.length); an empty plan clears the charts */
  public void show(double[] lr, int[] batchSize, long from) {
    int start = (int) Math.min(Math.max(from, 0), lr.length);
    int n = lr.length - start;
    double[] x = new double[n];
    double[][] y = new double[3][n];
    for (int i = 0; i < n; i++) {
      x[i] = start + i;
      y[0][i] = lr[start + i];
      y[1][i] = batchSize[start + i];
      y[2][i] = lr[start + i] / batchSize[start + i];
    }
    for (int k = 0; k < 3; k++) {
      ISeries<?> s = charts[k].getSeriesSet().getSeries()[0];
      s.setXSeries(x);
      s.setYSeries(y[k]);
      charts[k].getAxisSet().adjustRange();
      if (n > 0) {
        fit(charts[k].getAxisSet().getYAxis(0), y[k]);
        IAxis xa = charts[k].getAxisSet().getXAxis(0);
        double x0 = x[0];
        double x1 = Math.max(x[n - 1], x0 + 1);
        xa.setRange(new Range(x0, x1));
      }
      charts[k].redraw();
    }
  }

  /** 5% to spare above and below; a constant gets ±10% of its size */
  private static void fit(IAxis axis, double[] v) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double d : v) {
      lo = Math.min(lo, d);
      hi = Math.max(hi, d);
    }
    double pad = hi > lo ? 0.05 * (hi - lo) : Math.max(Math.abs(hi) * 0.1, 1e-12);
    axis.setRange(new Range(lo - pad, hi + pad));
  }

  /** the series drawn: {@link #ETA}, {@link #S} or {@link #RATIO} */
  public ISeries<?> series(String id) {
    for (Chart c : charts) {
      ISeries<?> s = c.getSeriesSet().getSeries(id);
      if (s != null) {
        return s;
      }
    }
    return null;
  }

  public Chart[] charts() {
    return charts.clone();
  }
}
