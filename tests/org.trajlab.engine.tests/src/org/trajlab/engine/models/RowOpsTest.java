package org.trajlab.engine.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.dl4j.Nd4jSetup;

/**
 * RowOps' relu and relu backprop work on the entries' bits: each entry is DL4J's (z < 0 ? 0 : z) and (z > 0 ? ε : 0)
 * bit for bit, for every kind of number (±0, ±∞, NaNs of either sign, subnormals, normal numbers of either sign), in
 * both precisions, on arrays longer than one block of the loops. In the package of RowOps (this test bundle is a
 * fragment of the engine).
 */
public class RowOpsTest {
  @BeforeAll
  static void nd4j() {
    Nd4jSetup.init();
  }

  static final double[] SPECIAL = { 0.0, -0.0, Double.NaN, Double.longBitsToDouble(0xFFF8000000000000L),
      Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE, Float.MIN_VALUE,
      -Float.MIN_VALUE, 1, -1, Double.MAX_VALUE, -Double.MAX_VALUE };

  /** n entries: normal numbers of either sign, the special ones spread among them */
  static double[] entries(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = r.nextInt(50) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : r.nextGaussian();
    return v;
  }

  static INDArray array(double[] v, DataType dt) {
    INDArray a = Nd4j.createUninitialized(dt, new long[] { v.length / 100, 100 }, 'c');
    for (int i = 0; i < v.length; i++) {
      if (dt == DataType.FLOAT) a.data().asNioFloat().put(i, (float) v[i]);
      else a.data().asNioDouble().put(i, v[i]);
    }
    return a;
  }

  static long bits(INDArray a, int i) {
    return a.dataType() == DataType.FLOAT ? Float.floatToRawIntBits(a.data().asNioFloat().get(i))
        : Double.doubleToRawLongBits(a.data().asNioDouble().get(i));
  }

  @Test
  public void reluIsDl4jsSelectionBitForBit() {
    for (DataType dt : new DataType[] { DataType.FLOAT, DataType.DOUBLE }) {
      for (int n : new int[] { 100, 65_500, 150_000 }) {
        double[] v = entries(n, n);
        INDArray z = array(v, dt);
        INDArray a = Nd4j.createUninitialized(dt, z.shape(), 'c');
        RowOps.relu(z, a);
        RowOps.relu(z, z); // in place too
        for (int i = 0; i < n; i++) {
          long expected;
          if (dt == DataType.FLOAT) {
            float x = (float) v[i];
            expected = Float.floatToRawIntBits(x < 0f ? 0f : x);
          } else {
            expected = Double.doubleToRawLongBits(v[i] < 0 ? 0 : v[i]);
          }
          assertEquals(expected, bits(a, i), dt + " relu of " + v[i]);
          assertEquals(expected, bits(z, i), dt + " relu in place of " + v[i]);
        }
      }
    }
  }

  @Test
  public void reluBackpropIsDl4jsSelectionBitForBit() {
    for (DataType dt : new DataType[] { DataType.FLOAT, DataType.DOUBLE }) {
      int n = 60_000;
      double[] v = entries(n, 3);
      double[] e = entries(n, 4);
      INDArray z = array(v, dt);
      RowOps.reluBackprop(z, array(e, dt));
      for (int i = 0; i < n; i++) {
        long expected;
        if (dt == DataType.FLOAT) {
          expected = Float.floatToRawIntBits((float) v[i] > 0f ? (float) e[i] : 0f);
        } else {
          expected = Double.doubleToRawLongBits(v[i] > 0 ? e[i] : 0);
        }
        assertEquals(expected, bits(z, i), dt + " backprop at " + v[i] + " of " + e[i]);
      }
    }
  }
}
