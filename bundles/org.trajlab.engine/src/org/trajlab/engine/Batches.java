package org.trajlab.engine;

import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.engine.models.FlatArrays;
import org.trajlab.engine.data.ImageSet;

/** Seeded data order and batch assembly: the same seed gives the same batches, on any machine. */
public final class Batches {
  private Batches() {}

  /** the permutation of 0..n-1 used in 1-based epoch {@code epoch} (Fisher-Yates on a SplittableRandom) */
  public static int[] epochOrder(long seed, int epoch, int n) {
    return org.trajlab.engine.data.Splits.permutation(new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch), n);
  }

  /** the train-eval subset: the first {@code size} examples, or a seeded random subset (sorted) */
  public static int[] trainEval(long seed, int n, int size, boolean random) {
    int[] idx = new int[size];
    if (!random) {
      for (int i = 0; i < size; i++) idx[i] = i;
      return idx;
    }
    int[] p = epochOrder(seed ^ 0x7EA1E7A1L, 0, n);
    System.arraycopy(p, 0, idx, 0, size);
    java.util.Arrays.sort(idx);
    return idx;
  }

  /**
   * The rows idx[from..to) of the data's features in a new c-order [to − from, features] array of type {@code dt}
   * (FLOAT or DOUBLE), written straight into its buffer ({@link #gather}): building a FLOAT array from a Java array and
   * casting it took 8 ms for 128 Fashion-MNIST rows in DOUBLE, the buffer writes 0.05 ms; the values are the same.
   */
  public static INDArray features(ImageSet data, int[] idx, int from, int to, DataType dt) {
    return gather(data, idx, from, to, Nd4j.createUninitialized(dt, new long[] { to - from, data.features() }, 'c'));
  }

  /**
   * The rows idx[from..to) of the data's features written into {@code into}, an array of its own of shape
   * [to − from, features] in c order, FLOAT or DOUBLE (the values {@link #features} gives, without a new array).
   */
  public static INDArray gather(ImageSet data, int[] idx, int from, int to, INDArray into) {
    int f = data.features();
    requireOwnRows(into, to - from, f);
    float[] px = data.pixels();
    if (into.dataType() == DataType.FLOAT) {
      java.nio.FloatBuffer b = into.data().asNioFloat();
      for (int i = from; i < to; i++) b.put((i - from) * f, px, idx[i] * f, f);
    } else if (into.dataType() == DataType.DOUBLE) {
      java.nio.DoubleBuffer b = into.data().asNioDouble();
      double[] row = new double[f];
      for (int i = from; i < to; i++) {
        int base = idx[i] * f;
        for (int j = 0; j < f; j++) row[j] = px[base + j];
        b.put((i - from) * f, row, 0, f);
      }
    } else {
      throw new IllegalArgumentException("batches are FLOAT or DOUBLE, not " + into.dataType());
    }
    return into;
  }

  /** the one-hot labels of idx[from..to) written into {@code into} ([to − from, classes], c order, FLOAT or DOUBLE) */
  public static INDArray oneHotInto(ImageSet data, int[] idx, int from, int to, INDArray into) {
    int k = data.numClasses();
    requireOwnRows(into, to - from, k);
    // written whole from a Java array: ND4J's assign and a putScalar per row took ~0.1 ms of a 2 ms update
    double[] v = new double[(to - from) * k];
    for (int i = from; i < to; i++) v[(i - from) * k + data.labels()[idx[i]]] = 1.0;
    FlatArrays.write(into, v, 0);
    return into;
  }

  private static void requireOwnRows(INDArray a, int rows, int cols) {
    if (a.isView() || a.ordering() != 'c' || a.rank() != 2 || a.size(0) != rows || a.size(1) != cols) {
      throw new IllegalArgumentException("a batch buffer must be a c-order [" + rows + ", " + cols + "] array of its own, not "
          + java.util.Arrays.toString(a.shape()) + (a.isView() ? " (a view)" : ""));
    }
  }

  /** the one-hot labels of idx[from..to) in a new c-order [to − from, classes] array of type {@code dt} */
  public static INDArray oneHot(ImageSet data, int[] idx, int from, int to, DataType dt) {
    return oneHotInto(data, idx, from, to, Nd4j.create(dt, new long[] { to - from, data.numClasses() }, 'c'));
  }
}
