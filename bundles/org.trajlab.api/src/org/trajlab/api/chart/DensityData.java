package org.trajlab.api.chart;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;

import org.trajlab.api.store.MetricRow;

/**
 * The rows of a {@link ChartKind#DENSITY} series: per step, the value at each grid point (the row's index, e.g. λ),
 * the grid ascending. A grid point written twice at one step keeps the later row.
 */
public final class DensityData {
  private final TreeMap<Long, TreeMap<Double, Double>> byStep = new TreeMap<>();

  private DensityData() {}

  /** the series' rows among {@code all}; rows without an index have no grid point and are left out */
  public static DensityData extract(SeriesDescriptor s, Collection<MetricRow> all) {
    DensityData d = new DensityData();
    for (MetricRow r : all) {
      if (r.probe().equals(s.probe()) && r.quantity().equals(s.quantity()) && r.hasIndex()) {
        d.byStep.computeIfAbsent(r.step(), t -> new TreeMap<>()).put(r.index(), r.value());
      }
    }
    return d;
  }

  /** the steps with rows, ascending */
  public NavigableSet<Long> steps() {
    return Collections.unmodifiableNavigableSet(byStep.navigableKeySet());
  }

  /** x = the grid ascending, y = the values at {@code step}; empty when the step has no rows */
  public SeriesData at(long step) {
    TreeMap<Double, Double> d = byStep.getOrDefault(step, new TreeMap<>());
    double[] x = new double[d.size()];
    double[] y = new double[d.size()];
    int i = 0;
    for (Map.Entry<Double, Double> e : d.entrySet()) {
      x[i] = e.getKey();
      y[i++] = e.getValue();
    }
    return new SeriesData(x, y);
  }

  public boolean isEmpty() {
    return byStep.isEmpty();
  }
}
