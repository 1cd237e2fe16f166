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
import org.trajlab.api.chart.QuantityRef;
import org.trajlab.api.chart.ScatterData;
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
    assertEquals(ChartKind.SCATTER, ChartKind.of("scatter"));
    assertEquals("kind must be one of [lines, spectrum, density, heatmap, scatter], not 'pie'", e.getMessage());
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

  /**
   * a scatter of λ_1 of the Hessian (curvature, index 1) against λ_1 of K (noise, no index): one point per step that
   * has both, the later row of a step winning; coloured by training accuracy (eval, another schedule: the nearest
   * step's value, the earlier of two equally near) or by the step
   */
  @Test
  public void scatterPointsPairTwoQuantitiesByStepAndTakeTheNearestColour() {
    List<MetricRow> rows = List.of(
        new MetricRow(0, 0, "eval", "acc_train_eval", Double.NaN, 0.1),
        new MetricRow(0, 1, "noise", "k_lambda_max", Double.NaN, 2.0),
        new MetricRow(0, 1, "curvature", "hessian_eig", 1, 20.0),
        new MetricRow(0, 1, "curvature", "hessian_eig", 2, 5.0),
        new MetricRow(10, 1, "noise", "k_lambda_max", Double.NaN, 3.0),
        new MetricRow(10, 1, "curvature", "hessian_eig", 1, 30.0),
        new MetricRow(20, 1, "noise", "k_lambda_max", Double.NaN, 4.0), // no λ_1^H at 20: no point
        new MetricRow(30, 1, "noise", "k_lambda_max", Double.NaN, 5.0),
        new MetricRow(30, 1, "curvature", "hessian_eig", 1, 40.0),
        new MetricRow(30, 1, "curvature", "hessian_eig", 1, 45.0), // written twice: the later row
        new MetricRow(20, 1, "eval", "acc_train_eval", Double.NaN, 0.5),
        new MetricRow(40, 1, "eval", "acc_train_eval", Double.NaN, 0.9));
    SeriesDescriptor s = SeriesDescriptor.scatter("curvature", "hessian_eig", 1.0, "λ1H", new QuantityRef("noise",
        "k_lambda_max", null), new QuantityRef("eval", "acc_train_eval", null), null);
    ScatterData d = ScatterData.extract(s, rows);
    assertArrayEquals(new long[] { 0, 10, 30 }, d.steps());
    assertArrayEquals(new double[] { 2, 3, 5 }, d.x());
    assertArrayEquals(new double[] { 20, 30, 45 }, d.y());
    // step 10 is as near to 0 as to 20: the earlier; step 30 between 20 and 40: the earlier again
    assertArrayEquals(new double[] { 0.1, 0.1, 0.5 }, d.colour());
    assertEquals(0.1, d.colourMin());
    assertEquals(0.5, d.colourMax());
    assertEquals(Set.of("curvature/hessian_eig", "noise/k_lambda_max", "eval/acc_train_eval"), s.reads());

    SeriesDescriptor byStep = SeriesDescriptor.scatter("curvature", "hessian_eig", 2.0, null, new QuantityRef("noise",
        "k_lambda_max", null), QuantityRef.step(), null);
    ScatterData second = ScatterData.extract(byStep, rows);
    assertArrayEquals(new double[] { 2 }, second.x());
    assertArrayEquals(new double[] { 5 }, second.y());
    assertArrayEquals(new double[] { 0 }, second.colour());
    assertEquals("points", byStep.style());
    SeriesDescriptor plain = SeriesDescriptor.scatter("curvature", "hessian_eig", 1.0, null, new QuantityRef("noise",
        "k_lambda_max", null), null, "line");
    assertFalse(ScatterData.extract(plain, rows).coloured());
    assertThrows(IllegalArgumentException.class, () -> SeriesDescriptor.scatter("noise", "k_trace", null, null, null, null, null));
    assertThrows(IllegalArgumentException.class, () -> new QuantityRef(null, "k_trace", null));

    ChartDescriptor c = new ChartDescriptor("n", ChartKind.SCATTER, "t", "x", "y", false, 6, null, true, 1.0, List.of(s));
    assertTrue(c.hasHline());
    assertEquals(List.of("curvature", "noise"), List.copyOf(c.probes()), "a scatter needs its y's and x's probes");
    assertTrue(c.drawnWith(Set.of("curvature", "noise", "walk")));
    assertFalse(c.drawnWith(Set.of("curvature")), "λ_1^H against λ_1^K without the noise probe");
    ChartDescriptor averages = new ChartDescriptor("a", "t", "x", "y", true, List.of(
        SeriesDescriptor.of("eval", "loss_test", "θ_t", null, null), SeriesDescriptor.of("averaging", "loss_ema_test", "EMA", null, null)));
    assertFalse(averages.drawnWith(Set.of("walk")), "the eval rows every run has do not make the averages' chart its");
    assertTrue(averages.drawnWith(Set.of("averaging")));
    assertEquals(Set.of("embedding"), SeriesDescriptor.scatter("embedding", "embedding_y", null, null,
        new QuantityRef("embedding", "embedding_x", null), new QuantityRef("eval", "acc_test", null), null).needs());
    assertThrows(IllegalArgumentException.class, () -> new ChartDescriptor("l", ChartKind.LINES, "t", "x", "y", false, 6,
        null, true, Double.NaN, List.of(EIG)), "logX on a lines chart");
    assertThrows(IllegalArgumentException.class, () -> new ChartDescriptor("l", ChartKind.LINES, "t", "x", "y", true, 6,
        null, false, 0.0, List.of(EIG)), "a reference line at 0 on a log axis");
    assertFalse(new ChartDescriptor("l", "t", "x", "y", false, List.of(EIG)).hasHline());
  }
}
