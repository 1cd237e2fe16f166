package org.trajlab.api.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.trajlab.api.chart.ChartDescriptor;
import org.trajlab.api.chart.ChartGroup;
import org.trajlab.api.chart.ChartKind;
import org.trajlab.api.chart.DensityData;
import org.trajlab.api.chart.HeatmapData;
import org.trajlab.api.chart.SeriesData;
import org.trajlab.api.chart.SeriesDescriptor;
import org.trajlab.api.chart.SpectrumData;
import org.trajlab.api.store.MetricRow;

/** The chart kinds' descriptors and the data each kind draws, extracted from metric rows. */
public class ChartKindsTest {
  private static final SeriesDescriptor EIG = SeriesDescriptor.of("curvature", "hessian_eig", "\u03bb", null, null,
      "hessian_eig_residual", "hessian_eig_converged");

  @Test
  public void kindsParseFromTheirAttributeAndDefaultToLines() {
    assertEquals(ChartKind.LINES, ChartKind.of(null));
    assertEquals(ChartKind.LINES, ChartKind.of(""));
    assertEquals(ChartKind.SPECTRUM, ChartKind.of("spectrum"));
    assertEquals(ChartKind.DENSITY, ChartKind.of("density"));
    assertEquals(ChartKind.HEATMAP, ChartKind.of("heatmap"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChartKind.of("pie"));
    assertEquals("kind must be one of [lines, spectrum, density, heatmap], not 'pie'", e.getMessage());
  }

  @Test
  public void aSpectrumIsAlwaysLogAndAGroupKnowsItsProbes() {
    ChartDescriptor spectrum = new ChartDescriptor("s", ChartKind.SPECTRUM, "t", "x", "y", false, 6, null,
        List.of(EIG, SeriesDescriptor.of("nsgd", "hessian_eig", null, null, null)));
    assertTrue(spectrum.logY());
    ChartDescriptor lines = new ChartDescriptor("l", "t", "x", "y", false, List.of(SeriesDescriptor.of("walk", "height", null, null, null)));
    assertEquals(ChartKind.LINES, lines.kind());
    assertEquals(ChartDescriptor.DEFAULT_DECADES, lines.decades());
    ChartGroup g = new ChartGroup("g", "G", 2, List.of(lines, spectrum));
    assertEquals(List.of("walk", "curvature", "nsgd"), List.copyOf(g.probes()));
    assertEquals(Set.of("hessian_eig", "hessian_eig_residual", "hessian_eig_converged"), EIG.quantities());
    assertThrows(IllegalArgumentException.class, () -> new ChartGroup("g", "G", 0, List.of(lines)));
    assertThrows(IllegalArgumentException.class, () -> SeriesDescriptor.of("walk", "height", null, null, "bars"));
  }

  @Test
  public void spectrumDataKeepsSignedValuesWithTheirResidualsAndFlagsPerRank() {
    List<MetricRow> rows = List.of(
        new MetricRow(0, 1, "curvature", "hessian_eig", 1, 12.5),
        new MetricRow(0, 1, "curvature", "hessian_eig", 2, -0.25),
        new MetricRow(0, 1, "curvature", "hessian_eig_residual", 1, 1e-4),
        new MetricRow(0, 1, "curvature", "hessian_eig_residual", 2, 3e-2),
        new MetricRow(0, 1, "curvature", "hessian_eig_converged", 1, 1),
        new MetricRow(0, 1, "curvature", "hessian_eig_converged", 2, 0),
        new MetricRow(10, 1, "curvature", "hessian_eig", 1, 14.0),
        new MetricRow(10, 1, "nsgd", "hessian_eig", 1, 99), // another probe
        new MetricRow(10, 1, "curvature", "hessian_trace", Double.NaN, 30)); // another quantity
    SpectrumData d = SpectrumData.extract(EIG, rows);
    Map<Integer, List<SpectrumData.Point>> byRank = d.byRank();
    assertEquals(Set.of(1, 2), byRank.keySet());
    assertEquals(List.of(new SpectrumData.Point(0, 1, 12.5, 1e-4, true), new SpectrumData.Point(10, 1, 14.0, Double.NaN, null)),
        byRank.get(1));
    assertEquals(List.of(new SpectrumData.Point(0, 2, -0.25, 3e-2, false)), byRank.get(2));
    assertEquals(new SpectrumData.Point(10, 1, 14.0, Double.NaN, null), d.at(10, 1));
    assertNull(d.at(10, 2));
    assertFalse(d.isEmpty());
    assertTrue(SpectrumData.extract(SeriesDescriptor.of("subspace", "hessian_eig", null, null, null), rows).isEmpty());
  }

  @Test
  public void densityDataIsTheGridAscendingAtEachStep() {
    SeriesDescriptor phi = SeriesDescriptor.of("curvature", "hessian_density", null, null, null);
    List<MetricRow> rows = List.of(
        new MetricRow(5, 1, "curvature", "hessian_density", 0.5, 0.2),
        new MetricRow(5, 1, "curvature", "hessian_density", -1, 0.1),
        new MetricRow(5, 1, "curvature", "hessian_density", 2, 1e-30),
        new MetricRow(9, 1, "curvature", "hessian_density", 0, 0.7),
        new MetricRow(9, 1, "curvature", "hessian_eig", 1, 3)); // another quantity
    DensityData d = DensityData.extract(phi, rows);
    assertEquals(List.of(5L, 9L), List.copyOf(d.steps()));
    SeriesData at5 = d.at(5);
    assertArrayEquals(new double[] { -1, 0.5, 2 }, at5.x());
    assertArrayEquals(new double[] { 0.1, 0.2, 1e-30 }, at5.y());
    assertArrayEquals(new double[] { 0 }, d.at(9).x());
    assertEquals(0, d.at(7).size());
  }

  @Test
  public void heatmapDataIsStepsByIndicesWithGapsAsNaN() {
    SeriesDescriptor interp = SeriesDescriptor.of("walk", "loss_interp", "loss", null, null);
    List<MetricRow> rows = List.of(
        new MetricRow(0, 1, "walk", "loss_interp", 0.0, 2.0),
        new MetricRow(0, 1, "walk", "loss_interp", 0.5, 1.5),
        new MetricRow(0, 1, "walk", "loss_interp", 1.0, 1.8),
        new MetricRow(10, 1, "walk", "loss_interp", 0.0, 1.7),
        new MetricRow(10, 1, "walk", "loss_interp", 1.0, 1.1),
        new MetricRow(10, 1, "walk", "height", Double.NaN, 0.3));
    HeatmapData h = HeatmapData.extract(interp, rows);
    assertArrayEquals(new double[] { 0, 10 }, h.steps());
    assertArrayEquals(new double[] { 0, 0.5, 1 }, h.indices());
    assertArrayEquals(new double[] { 2.0, 1.5, 1.8 }, h.values()[0]);
    assertArrayEquals(new double[] { 1.7, Double.NaN, 1.1 }, h.values()[1]);
    assertEquals(1.1, h.min());
    assertEquals(2.0, h.max());
    HeatmapData none = HeatmapData.extract(SeriesDescriptor.of("walk", "nothing", null, null, null), rows);
    assertTrue(none.isEmpty());
    assertTrue(Double.isNaN(none.min()));
  }
}
