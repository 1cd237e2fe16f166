package org.trajlab.api.chart;

import java.util.Collection;
import java.util.TreeMap;
import java.util.TreeSet;

import org.trajlab.api.store.MetricRow;

/**
 * The rows of a {@link ChartKind#HEATMAP} series as a grid: the steps with rows (ascending) by the indices any of
 * them has (ascending), {@code values[i][j]} the value at {@code steps[i]} and {@code indices[j]}, NaN where no row
 * was written. A cell written twice keeps the later row.
 */
public record HeatmapData(double[] steps, double[] indices, double[][] values) {

  /** the series' rows among {@code all}; rows without an index are left out */
  public static HeatmapData extract(SeriesDescriptor s, Collection<MetricRow> all) {
    TreeMap<Long, TreeMap<Double, Double>> cells = new TreeMap<>();
    TreeSet<Double> indices = new TreeSet<>();
    for (MetricRow r : all) {
      if (r.probe().equals(s.probe()) && r.quantity().equals(s.quantity()) && r.hasIndex()) {
        cells.computeIfAbsent(r.step(), t -> new TreeMap<>()).put(r.index(), r.value());
        indices.add(r.index());
      }
    }
    double[] steps = cells.keySet().stream().mapToDouble(Long::doubleValue).toArray();
    double[] idx = indices.stream().mapToDouble(Double::doubleValue).toArray();
    double[][] values = new double[steps.length][idx.length];
    int i = 0;
    for (TreeMap<Double, Double> column : cells.values()) {
      for (int j = 0; j < idx.length; j++) {
        values[i][j] = column.getOrDefault(idx[j], Double.NaN);
      }
      i++;
    }
    return new HeatmapData(steps, idx, values);
  }

  public boolean isEmpty() {
    return steps.length == 0;
  }

  /** the smallest finite value, NaN when there is none */
  public double min() {
    double m = Double.NaN;
    for (double[] column : values) {
      for (double v : column) {
        if (Double.isFinite(v) && !(v >= m)) m = v;
      }
    }
    return m;
  }

  /** the largest finite value, NaN when there is none */
  public double max() {
    double m = Double.NaN;
    for (double[] column : values) {
      for (double v : column) {
        if (Double.isFinite(v) && !(v <= m)) m = v;
      }
    }
    return m;
  }
}
