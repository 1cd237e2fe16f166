package org.trajlab.api.chart;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.trajlab.api.store.MetricRow;

/**
 * The points of a {@link ChartKind#SCATTER} series: one per step at which both x's and y's quantities have a finite
 * row, in step order, x and y the two values (a quantity written twice at one step keeps the later row). The colour
 * of a point is the colour quantity at the same step; a colour written on another schedule (training accuracy every
 * 100 updates, the embedding every 25) is taken from the nearest step that has one (the earlier of two equally
 * near), so a point is coloured by the measurement closest to it in time. Colour by {@link QuantityRef#STEP} is the
 * step itself; no colour quantity, or one without rows, gives NaN colours.
 */
public record ScatterData(long[] steps, double[] x, double[] y, double[] colour) {

  public static ScatterData extract(SeriesDescriptor s, Collection<MetricRow> all) {
    TreeMap<Long, Double> ys = values(s.y(), all);
    TreeMap<Long, Double> xs = values(s.scatterX(), all);
    QuantityRef c = s.colour();
    TreeMap<Long, Double> cs = c == null || c.isStep() ? new TreeMap<>() : values(c, all);
    List<long[]> steps = new ArrayList<>();
    for (Map.Entry<Long, Double> e : ys.entrySet()) {
      Double x = xs.get(e.getKey());
      if (x != null && Double.isFinite(x) && Double.isFinite(e.getValue())) {
        steps.add(new long[] { e.getKey() });
      }
    }
    int n = steps.size();
    long[] t = new long[n];
    double[] x = new double[n];
    double[] y = new double[n];
    double[] col = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = steps.get(i)[0];
      x[i] = xs.get(t[i]);
      y[i] = ys.get(t[i]);
      col[i] = c != null && c.isStep() ? t[i] : nearest(cs, t[i]);
    }
    return new ScatterData(t, x, y, col);
  }

  /** step -> value of the rows {@code ref} reads, the later row of a step winning */
  private static TreeMap<Long, Double> values(QuantityRef ref, Collection<MetricRow> all) {
    TreeMap<Long, Double> m = new TreeMap<>();
    for (MetricRow r : all) {
      if (ref.matches(r)) {
        m.put(r.step(), r.value());
      }
    }
    return m;
  }

  /** the value at {@code step}, else at the nearest step (the earlier of two equally near), NaN without any */
  static double nearest(TreeMap<Long, Double> m, long step) {
    Map.Entry<Long, Double> below = m.floorEntry(step);
    Map.Entry<Long, Double> above = m.ceilingEntry(step);
    if (below == null && above == null) {
      return Double.NaN;
    }
    if (below == null) return above.getValue();
    if (above == null || step - below.getKey() <= above.getKey() - step) return below.getValue();
    return above.getValue();
  }

  public int size() {
    return steps.length;
  }

  public boolean isEmpty() {
    return steps.length == 0;
  }

  /** whether some point has a finite colour */
  public boolean coloured() {
    for (double c : colour) {
      if (Double.isFinite(c)) return true;
    }
    return false;
  }

  /** the smallest finite colour value, NaN when there is none */
  public double colourMin() {
    double m = Double.NaN;
    for (double c : colour) {
      if (Double.isFinite(c) && !(c >= m)) m = c;
    }
    return m;
  }

  /** the largest finite colour value, NaN when there is none */
  public double colourMax() {
    double m = Double.NaN;
    for (double c : colour) {
      if (Double.isFinite(c) && !(c <= m)) m = c;
    }
    return m;
  }
}
