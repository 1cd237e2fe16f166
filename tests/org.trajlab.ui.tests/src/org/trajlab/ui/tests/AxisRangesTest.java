package org.trajlab.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.swtchart.Range;
import org.junit.jupiter.api.Test;
import org.trajlab.ui.charts.AxisRanges;

/** The ranges the renderer gives its axes: the values inside with 5% of their span to spare, decades on log axes. */
class AxisRangesTest {
  @Test
  void aLinearAxisAddsFivePercentOfTheSpanOnEachSide() {
    // the Hessian trace of RealRunViewsTest's run: 102.24 .. 188.94
    assertRange(102.24 - 4.335, 188.94 + 4.335, AxisRanges.linear(102.24, 188.94));
    // cosines of consecutive gradients reach below zero
    assertRange(-0.8 - 0.055, 0.3 + 0.055, AxisRanges.linear(-0.8, 0.3));
  }

  @Test
  void aSingleValueGetsTenPercentOfItsSizeAroundIt() {
    assertRange(1.8, 2.2, AxisRanges.linear(2, 2)); // k_min at the grid's floor on every step
    assertRange(-3.3, -2.7, AxisRanges.linear(-3, -3));
    assertRange(269.1, 328.9, AxisRanges.linear(299, 299)); // one curvature step on the x axis
    assertRange(-1, 1, AxisRanges.linear(0, 0));
    // equal to 12 digits: one value (SWTChart ignores a range narrower than 1e-13 of its ends)
    assertRange(0.9, 1.1, AxisRanges.linear(1, 1 + 1e-12));
  }

  @Test
  void aLogAxisSpansWholeDecadesAndAMarginOfThem() {
    // log10 from -2.71 to 1.2: 0.001 to 100, and 5% of those 5 decades beyond each
    assertRange(-3.25, 2.25, AxisRanges.log(-2.71, 1.2, 6));
    // a value 0.017 decade above 10 adds no decade: it lies in the margin, clear of the edge
    Range r = AxisRanges.log(0.5, Math.log10(10.4), 6);
    assertRange(-0.05, 1.05, r);
    assertTrue(Math.log10(10.4) < r.upper - 0.03, r.toString());
    // at most 6 decades below the top decade: smaller values are left out on purpose
    assertRange(-4.3, 2.3, AxisRanges.log(-10, 1.7, 6));
    // a single value: one decade
    assertRange(-0.05, 1.05, AxisRanges.log(0.5, 0.5, 6));
  }

  private static void assertRange(double lower, double upper, Range r) {
    assertEquals(lower, r.lower, 1e-9, "lower end of " + r);
    assertEquals(upper, r.upper, 1e-9, "upper end of " + r);
  }
}
