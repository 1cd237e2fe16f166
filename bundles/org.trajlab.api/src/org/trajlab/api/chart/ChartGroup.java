package org.trajlab.api.chart;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The charts one instrument view shows (e.g. "walk": interpolated loss, cosine, distance).
 *
 * @param columns how many charts side by side when the view is wide enough (1 = one above the other)
 */
public record ChartGroup(String id, String name, int columns, List<ChartDescriptor> charts) {
  public ChartGroup {
    if (columns < 1) {
      throw new IllegalArgumentException("columns must be at least 1, not " + columns);
    }
    charts = List.copyOf(charts);
  }

  /** a group drawn in one column */
  public ChartGroup(String id, String name, List<ChartDescriptor> charts) {
    this(id, name, 1, charts);
  }

  /** the probes whose rows the group draws, in declaration order: a run without any of them has nothing to show */
  public Set<String> probes() {
    Set<String> p = new LinkedHashSet<>();
    charts.forEach(c -> p.addAll(c.probes()));
    return p;
  }

  /** whether a run whose spec has {@code specProbes} can have points in this group's view (in any chart) */
  public boolean drawnWith(Set<String> specProbes) {
    return charts.stream().anyMatch(c -> c.drawnWith(specProbes));
  }
}
