package org.trajlab.api.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.trajlab.api.chart.SeriesData;
import org.trajlab.api.chart.SeriesDescriptor;
import org.trajlab.api.store.MetricRow;

public class SeriesDataTest {
  private static final List<MetricRow> ROWS = List.of(
      new MetricRow(3, 1, "walk", "loss_interp", 0.0, 2.0),
      new MetricRow(3, 1, "walk", "loss_interp", 0.5, 1.5),
      new MetricRow(3, 1, "walk", "loss_interp", 1.0, 1.8),
      new MetricRow(3, 1, "walk", "valley_alpha", Double.NaN, 0.5),
      new MetricRow(3, 1, "walk", "valley_floor", Double.NaN, 1.5),
      new MetricRow(4, 1, "walk", "valley_alpha", Double.NaN, 0.25),
      new MetricRow(4, 1, "walk", "valley_floor", Double.NaN, 1.2),
      new MetricRow(4, 1, "train", "valley_floor", Double.NaN, 99));

  @Test
  public void stepPlusIndex() {
    SeriesData d = SeriesData.extract(SeriesDescriptor.of("walk", "loss_interp", null, "step+index", null), ROWS);
    assertArrayEquals(new double[] { 3.0, 3.5, 4.0 }, d.x());
    assertArrayEquals(new double[] { 2.0, 1.5, 1.8 }, d.y());
  }

  @Test
  public void stepPlusAnotherQuantity() {
    SeriesData d = SeriesData.extract(SeriesDescriptor.of("walk", "valley_floor", null, "step+valley_alpha", null), ROWS);
    assertArrayEquals(new double[] { 3.5, 4.25 }, d.x());
    assertArrayEquals(new double[] { 1.5, 1.2 }, d.y());
  }

  @Test
  public void plainStepOnlyTheNamedProbe() {
    SeriesData d = SeriesData.extract(SeriesDescriptor.of("train", "valley_floor", null, null, null), ROWS);
    assertArrayEquals(new double[] { 4 }, d.x());
    assertArrayEquals(new double[] { 99 }, d.y());
  }

  @Test
  public void anIndexedSeriesDrawsOnlyItsIndexOverTheSteps() {
    List<MetricRow> rows = List.of(
        new MetricRow(10, 1, "curvature", "step_test_delta", 0.5, -0.02),
        new MetricRow(10, 1, "curvature", "step_test_delta", 1.0, 0.01),
        new MetricRow(10, 1, "curvature", "step_test_delta", 2.0, 0.3),
        new MetricRow(20, 1, "curvature", "step_test_delta", 0.5, -0.03),
        new MetricRow(20, 1, "curvature", "step_test_delta", 1.0, 0.02),
        new MetricRow(20, 1, "curvature", "kmin_1pct", Double.NaN, 1.0));
    SeriesDescriptor one = SeriesDescriptor.of("curvature", "step_test_delta", "a = 1", null, null).atIndex(1.0);
    SeriesData d = SeriesData.extract(one, rows);
    assertArrayEquals(new double[] { 10, 20 }, d.x());
    assertArrayEquals(new double[] { 0.01, 0.02 }, d.y());
    SeriesData two = SeriesData.extract(one.atIndex(2.0), rows);
    assertArrayEquals(new double[] { 10 }, two.x());
    assertArrayEquals(new double[] { 0.3 }, two.y());
    assertArrayEquals(new double[] { 10, 10, 10, 20, 20 },
        SeriesData.extract(one.atIndex(null), rows).x(), "no index: every row of the quantity");
  }
}
