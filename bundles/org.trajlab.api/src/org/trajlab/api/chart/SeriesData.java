package org.trajlab.api.chart;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.trajlab.api.store.MetricRow;

/** The x/y arrays of one series, extracted from metric rows in the order they were written. */
public record SeriesData(double[] x, double[] y) {

  public int size() {
    return x.length;
  }

  public static SeriesData extract(SeriesDescriptor d, Collection<MetricRow> rows) {
    Map<Long, Double> offsets = new HashMap<>();
    if (d.xMode() == SeriesDescriptor.XMode.STEP_PLUS_QUANTITY) {
      for (MetricRow r : rows) {
        if (r.probe().equals(d.probe()) && r.quantity().equals(d.xQuantity())) {
          offsets.put(r.step(), r.value());
        }
      }
    }
    List<double[]> pts = new ArrayList<>();
    for (MetricRow r : rows) {
      if (!r.probe().equals(d.probe()) || !r.quantity().equals(d.quantity())
          || (d.index() != null && !(r.hasIndex() && r.index() == d.index()))) {
        continue;
      }
      double x = switch (d.xMode()) {
        case STEP -> r.step();
        case STEP_PLUS_INDEX -> r.step() + (r.hasIndex() ? r.index() : 0);
        case STEP_PLUS_QUANTITY -> r.step() + offsets.getOrDefault(r.step(), Double.NaN);
      };
      if (!Double.isNaN(x)) {
        pts.add(new double[] { x, r.value() });
      }
    }
    double[] xs = new double[pts.size()];
    double[] ys = new double[pts.size()];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = pts.get(i)[0];
      ys[i] = pts.get(i)[1];
    }
    return new SeriesData(xs, ys);
  }
}
