package org.trajlab.api.chart;

import java.util.Arrays;
import java.util.Locale;

/**
 * What a chart of {@code org.trajlab.api.charts} draws, declared by its {@code kind} attribute; the generic renderer
 * of org.trajlab.ui draws each kind, so a view is XML and no view class.
 */
public enum ChartKind {
  /** each series is a quantity over the steps (or step + index, step + another quantity), as lines or points */
  LINES,
  /**
   * a signed quantity indexed by rank (eigenvalues λ_i) over the steps: one curve of |value| per rank on a log axis,
   * negative values marked red; the series' {@code residual} and {@code converged} quantities go into the hover text
   */
  SPECTRUM,
  /** a quantity indexed by a grid (φ(λ) over λ) at one step, chosen in a step selector (the latest by default) */
  DENSITY,
  /** a quantity indexed by a grid over the steps (loss along α): x the step, y the index, colour the value */
  HEATMAP,
  /**
   * each series plots one quantity against another at the same step (x and y from any probes, matched by step),
   * its points coloured by a third quantity or by the step; several series are alternatives picked in a selector
   */
  SCATTER;

  /** the attribute value: lines, spectrum, density, heatmap, scatter */
  public String attribute() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** parses the {@code kind} attribute; absent means {@link #LINES} */
  public static ChartKind of(String kind) {
    if (kind == null || kind.isBlank()) {
      return LINES;
    }
    for (ChartKind k : values()) {
      if (k.attribute().equals(kind.trim())) {
        return k;
      }
    }
    throw new IllegalArgumentException("kind must be one of " + Arrays.stream(values()).map(ChartKind::attribute).toList()
        + ", not '" + kind + "'");
  }
}
