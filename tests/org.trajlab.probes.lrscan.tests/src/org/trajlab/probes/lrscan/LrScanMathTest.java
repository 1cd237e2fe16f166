package org.trajlab.probes.lrscan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.trajlab.probes.lrscan.internal.LrScanMath;

public class LrScanMathTest {
  @Test
  public void linearGridRunsFromZeroToLambdaMax() {
    assertArrayEquals(new double[] { 0, 0.25, 0.5, 0.75, 1 }, LrScanMath.lambdaGrid("linear", 1, 5, 3), 1e-15);
  }

  @Test
  public void logGridIsZeroThenEvenDecades() {
    double[] g = LrScanMath.lambdaGrid("log", 2, 5, 3); // 0, 2e-3, 2e-2, 2e-1, 2
    assertEquals(0, g[0]);
    assertEquals(2e-3, g[1], 1e-18);
    assertEquals(2e-2, g[2], 1e-17);
    assertEquals(2e-1, g[3], 1e-16);
    assertEquals(2, g[4]);
  }

  @Test
  public void argminSkipsNaNAndTakesTheFirstOfEqualValues() {
    assertEquals(2, LrScanMath.argmin(new double[] { 3, Double.NaN, 1, 1, 2 }));
    assertEquals(-1, LrScanMath.argmin(new double[] { Double.NaN }));
  }

  @Test
  public void cosineDistanceAndStep() {
    assertEquals(0, LrScanMath.cosine(new double[] { 1, 0 }, new double[] { 0, 3 }), 1e-15);
    assertEquals(-1, LrScanMath.cosine(new double[] { 1, 2 }, new double[] { -2, -4 }), 1e-15);
    assertTrue(Double.isNaN(LrScanMath.cosine(new double[] { 0, 0 }, new double[] { 1, 1 })));
    assertEquals(5, LrScanMath.distance(new double[] { 0, 0 }, new double[] { 3, 4 }), 1e-15);
    assertArrayEquals(new double[] { 0.5, 1 }, LrScanMath.stepAlong(new double[] { 1, 2 }, 0.5, new double[] { 1, 2 }), 1e-15);
  }

  @Test
  public void heldOutBatchIsSeededDistinctAndAvoidsTheBatch() {
    int[] b = { 0, 1, 2, 3, 4 };
    int[] h = LrScanMath.heldOutBatch(7, 12, 20, 15, b);
    Set<Integer> seen = new HashSet<>();
    for (int i : h) {
      assertTrue(i >= 5 && i < 20, "outside B: " + i);
      assertTrue(seen.add(i), "distinct");
    }
    assertArrayEquals(h, LrScanMath.heldOutBatch(7, 12, 20, 15, b), "the same seed and step give the same batch");
    assertTrue(!java.util.Arrays.equals(LrScanMath.heldOutBatch(7, 12, 20, 5, b), LrScanMath.heldOutBatch(7, 13, 20, 5, b)));
    assertThrows(IllegalArgumentException.class, () -> LrScanMath.heldOutBatch(7, 12, 20, 16, b));
  }
}
