package org.trajlab.api.chart;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A chart of one or more series, as declared in a probe bundle's plugin.xml ({@code org.trajlab.api.charts}).
 *
 * @param kind what is drawn and how (see {@link ChartKind})
 * @param logY a log y axis (always for {@link ChartKind#SPECTRUM}); values ≤ 0 have no place on it and are left out
 * @param decades a log axis shows at most this many decades below the largest value drawn: the smallest values
 *     of a spectral density (1e-49, say) would otherwise squeeze everything meaningful into a sliver
 * @param hint what the chart says when the run has no rows for it (e.g. which probe param writes them), or null
 * @param logX a log x axis (scatter charts only)
 * @param hline the y of a horizontal reference line drawn across the plot (1 for a stability condition such as
 *     paper 004's break-even inequality), or NaN for none; the y axis always reaches it
 * @param series what is drawn; for the spectrum, density and heat map kinds each series is one source (probe) of
 *     the same quantity, and the renderer draws one source at a time, chosen in a selector
 */
public record ChartDescriptor(String id, ChartKind kind, String title, String xLabel, String yLabel, boolean logY,
    int decades, String hint, boolean logX, double hline, List<SeriesDescriptor> series) {
  /** decades a log axis shows below the largest value when the chart does not say */
  public static final int DEFAULT_DECADES = 6;

  public ChartDescriptor {
    if (kind == null) {
      kind = ChartKind.LINES;
    }
    if (kind == ChartKind.SPECTRUM) {
      logY = true;
    }
    if (decades < 1) {
      throw new IllegalArgumentException("decades must be at least 1, not " + decades);
    }
    if (logX && kind != ChartKind.SCATTER) {
      throw new IllegalArgumentException("logX is for scatter charts, not " + kind.attribute());
    }
    if (!Double.isNaN(hline) && !Double.isFinite(hline)) {
      throw new IllegalArgumentException("hline must be a finite number");
    }
    if (!Double.isNaN(hline) && logY && !(hline > 0)) {
      throw new IllegalArgumentException("a log y axis has no place for hline " + hline);
    }
    series = List.copyOf(series);
  }

  /** a chart without a log x axis or a reference line */
  public ChartDescriptor(String id, ChartKind kind, String title, String xLabel, String yLabel, boolean logY,
      int decades, String hint, List<SeriesDescriptor> series) {
    this(id, kind, title, xLabel, yLabel, logY, decades, hint, false, Double.NaN, series);
  }

  /** whether the chart draws a horizontal reference line ({@link #hline()}) */
  public boolean hasHline() {
    return !Double.isNaN(hline);
  }

  /** a lines chart (the kind every chart had before kinds were declared) */
  public ChartDescriptor(String id, String title, String xLabel, String yLabel, boolean logY,
      List<SeriesDescriptor> series) {
    this(id, ChartKind.LINES, title, xLabel, yLabel, logY, DEFAULT_DECADES, null, series);
  }

  /**
   * the probes whose rows the chart's series draw, in declaration order: each series' {@link SeriesDescriptor#needs}
   * (a scatter's y's and x's probes; not the probes of its colours)
   */
  public Set<String> probes() {
    Set<String> p = new LinkedHashSet<>();
    series.forEach(s -> p.addAll(s.needs()));
    return p;
  }

  /**
   * whether a run whose spec has {@code specProbes} can have points here: a series whose needs it has. A series of
   * the engine's own rows alone (the Averaging view's θ_t) needs no probe and says nothing about the chart: every run
   * has them, and the chart is about the probe beside them
   */
  public boolean drawnWith(Set<String> specProbes) {
    return series.stream().anyMatch(s -> !s.needs().isEmpty() && specProbes.containsAll(s.needs()));
  }
}
