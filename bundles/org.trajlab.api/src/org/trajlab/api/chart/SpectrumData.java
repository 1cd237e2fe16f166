package org.trajlab.api.chart;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import org.trajlab.api.store.MetricRow;

/**
 * The rows of a {@link ChartKind#SPECTRUM} series: per step and rank i (the row's index), the signed value (λ_i)
 * and, when the series names them, its residual and converged flag (rows of the same probe, step and index).
 */
public final class SpectrumData {
  /**
   * one rank's numbers at one step; {@code residual} is NaN and {@code converged} null when their rows are missing
   * (or the series names no such quantity)
   */
  public record Point(long step, int rank, double value, double residual, Boolean converged) {}

  /** step -> rank -> {value, residual, converged (NaN, 0, 1)} */
  private final TreeMap<Long, TreeMap<Integer, double[]>> rows = new TreeMap<>();

  private SpectrumData() {}

  /** the series' rows among {@code all}; rows without an index are not ranks and are left out */
  public static SpectrumData extract(SeriesDescriptor s, Collection<MetricRow> all) {
    SpectrumData d = new SpectrumData();
    for (MetricRow r : all) {
      if (!r.probe().equals(s.probe()) || !r.hasIndex()) {
        continue;
      }
      int slot = r.quantity().equals(s.quantity()) ? 0 : r.quantity().equals(s.residual()) ? 1
          : r.quantity().equals(s.converged()) ? 2 : -1;
      if (slot < 0) {
        continue;
      }
      d.rows.computeIfAbsent(r.step(), t -> new TreeMap<>())
          .computeIfAbsent((int) Math.round(r.index()), i -> new double[] { Double.NaN, Double.NaN, Double.NaN })[slot] = r.value();
    }
    return d;
  }

  /** rank -> its points with a value, in step order */
  public SortedMap<Integer, List<Point>> byRank() {
    SortedMap<Integer, List<Point>> byRank = new TreeMap<>();
    rows.forEach((step, ranks) -> ranks.forEach((rank, e) -> {
      if (!Double.isNaN(e[0])) {
        byRank.computeIfAbsent(rank, k -> new ArrayList<>()).add(point(step, rank, e));
      }
    }));
    byRank.replaceAll((rank, points) -> Collections.unmodifiableList(points));
    return Collections.unmodifiableSortedMap(byRank);
  }

  /** the point of {@code rank} at {@code step}, or null */
  public Point at(long step, int rank) {
    TreeMap<Integer, double[]> ranks = rows.get(step);
    double[] e = ranks == null ? null : ranks.get(rank);
    return e == null ? null : point(step, rank, e);
  }

  /** whether no row has a value of the series' quantity */
  public boolean isEmpty() {
    return byRank().isEmpty();
  }

  private static Point point(long step, int rank, double[] e) {
    return new Point(step, rank, e[0], e[1], Double.isNaN(e[2]) ? null : e[2] != 0);
  }
}
