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
      for (int n : new int[] { 60_000, 150_000 }) { // one block, and three blocks of MAX_ENTRIES, the last partial
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
        assertEquals(expected, bits(z, i), dt + " backprop at " + v[i] + " of " + e[i] + " (entry " + i + " of " + n + ")");
      }
      }
    }
  }

  /**
   * The output layer's FLOAT pass against the closed form in double: p = exp(z − max) / Σ, the score −Σ y log(clip(p))
   * with clip to [1e-10, 1 − 1e-10] (a row whose label's probability is below 1e-10 scores −log 1e-10), errors p − y;
   * the errors written into another array and over the logits themselves
   */
  @Test
  public void softmaxCrossEntropyIsTheClosedForm() {
    int n = 37, k = 10;
    SplittableRandom r = new SplittableRandom(5);
    float[] z = new float[n * k];
    float[] y = new float[n * k];
    for (int i = 0; i < z.length; i++) z[i] = (float) (3 * r.nextGaussian());
    z[0] = 60f; // row 0: p of every other class e^-60 and less, below the clip
    for (int i = 0; i < n; i++) y[i * k + (i == 0 ? 3 : r.nextInt(k))] = 1f;
    double expected = 0;
    double[] errors = new double[z.length];
    for (int i = 0; i < n; i++) {
      double max = Double.NEGATIVE_INFINITY, sum = 0;
      for (int j = 0; j < k; j++) max = Math.max(max, z[i * k + j]);
      for (int j = 0; j < k; j++) sum += Math.exp(z[i * k + j] - max);
      for (int j = 0; j < k; j++) {
        double p = Math.exp(z[i * k + j] - max) / sum;
        if (y[i * k + j] != 0) expected -= Math.log(Math.min(Math.max(p, 1e-10), 1 - 1e-10));
        errors[i * k + j] = p - y[i * k + j];
      }
    }
    for (boolean inPlace : new boolean[] { false, true }) {
      INDArray zs = Nd4j.create(z, new long[] { n, k }, 'c');
      INDArray out = inPlace ? zs : Nd4j.create(DataType.FLOAT, n, k);
      double score = RowOps.softmaxCrossEntropy(zs, Nd4j.create(y, new long[] { n, k }, 'c'), 1e-10, out);
      assertEquals(expected, score, 1e-6 * expected, "summed score");
      double[] got = out.reshape(n * k).toDoubleVector();
      for (int i = 0; i < got.length; i++) assertEquals(errors[i], got[i], 1e-6, "p - y at " + i);
    }
  }

  /** a bias gradient's column sums, scaled, into entries from .. of a flat FLOAT gradient, the others untouched */
  @Test
  public void columnSumsAreTheScaledSumsOfEachColumn() {
    int n = 128, cols = 300, from = 17;
    SplittableRandom r = new SplittableRandom(9);
    float[] e = new float[n * cols];
    for (int i = 0; i < e.length; i++) e[i] = (float) r.nextGaussian();
    INDArray g = Nd4j.valueArrayOf(new long[] { 1, 400 }, 7f, DataType.FLOAT);
    RowOps.columnSums(Nd4j.create(e, new long[] { n, cols }, 'c'), 1.0 / n, g, from);
    double[] got = g.toDoubleVector();
    for (int j = 0; j < 400; j++) {
      if (j < from || j >= from + cols) {
        assertEquals(7.0, got[j], 0.0, "entry " + j + " is not a bias entry");
        continue;
      }
      double sum = 0;
      for (int i = 0; i < n; i++) sum += e[i * cols + j - from];
      assertEquals(sum / n, got[j], 1e-7 * Math.max(1, Math.abs(sum / n)), "column " + (j - from));
    }
  }

  /**
   * Each group's bias gradient, Σ over its rows / its size, into its own row of a [groups, stride] buffer at the bias's
   * place, nothing else written: against the sums in double (FLOAT within its rounding, DOUBLE to the order of sums)
   */
  @Test
  public void groupColumnSumsAreEachGroupsMeanOfEachColumn() {
    int[] sizes = { 3, 1, 128, 60 };
    int n = 192, cols = 300, from = 17, stride = 400;
    SplittableRandom r = new SplittableRandom(11);
    double[] e = new double[n * cols];
    for (int i = 0; i < e.length; i++) e[i] = r.nextGaussian();
    for (DataType dt : new DataType[] { DataType.FLOAT, DataType.DOUBLE }) {
      INDArray g = Nd4j.valueArrayOf(new long[] { sizes.length, stride }, 7.0, dt);
      RowOps.groupColumnSums(Nd4j.create(e, new long[] { n, cols }, 'c').castTo(dt), sizes, g, stride, from);
      double[] got = g.data().asDouble();
      for (int k = 0, first = 0; k < sizes.length; first += sizes[k], k++) {
        for (int j = 0; j < stride; j++) {
          double value = got[k * stride + j];
          if (j < from || j >= from + cols) {
            assertEquals(7.0, value, 0.0, dt + " group " + k + ": entry " + j + " is not a bias entry");
            continue;
          }
          double sum = 0;
          for (int i = first; i < first + sizes[k]; i++) {
            double x = e[i * cols + j - from];
            sum += dt == DataType.FLOAT ? (float) x : x;
          }
          double mean = sum / sizes[k];
          assertEquals(mean, value, (dt == DataType.FLOAT ? 1e-7 : 1e-15) * Math.max(1, Math.abs(mean)),
              dt + " group " + k + " column " + (j - from));
        }
      }
    }
  }
}
