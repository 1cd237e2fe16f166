package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.trajlab.dl4j.Nd4jSetup;
import org.trajlab.engine.models.Gemm;

/**
 * Products straight to OpenBLAS ({@link Gemm#direct}) against the product summed in Java, for every storage the
 * engine hands it: c and f order, views inside larger arrays (an offset and a leading dimension larger than a row),
 * each factor transposed or not, in FLOAT and DOUBLE; layouts without a unit stride are left to ND4J.
 */
public class GemmTest {
  @BeforeAll
  static void nd4j() {
    Nd4jSetup.init();
  }

  /** an r × q matrix of random values stored as asked: 'c', 'f', or a view 'v' inside a larger f-order array */
  static INDArray matrix(DataType dt, long r, long q, char storage, SplittableRandom rnd) {
    INDArray whole = storage == 'v' ? Nd4j.create(dt, new long[] { r + 3, q + 2 }, 'f')
        : Nd4j.create(dt, new long[] { r, q }, storage);
    INDArray x = storage == 'v' ? whole.get(NDArrayIndex.interval(2, r + 2), NDArrayIndex.interval(1, q + 1)) : whole;
    for (long i = 0; i < r; i++) {
      for (long j = 0; j < q; j++) x.putScalar(new long[] { i, j }, rnd.nextDouble(-1, 1));
    }
    return x;
  }

  static double[][] values(INDArray x) {
    double[][] v = new double[(int) x.size(0)][(int) x.size(1)];
    for (int i = 0; i < v.length; i++) {
      for (int j = 0; j < v[i].length; j++) v[i][j] = x.getDouble(i, j);
    }
    return v;
  }

  @Test
  void directProductsEqualTheProductSummedInJavaForEveryStorage() {
    SplittableRandom rnd = new SplittableRandom(13);
    int m = 7, k = 5, n = 6, cases = 0;
    for (DataType dt : new DataType[] { DataType.DOUBLE, DataType.FLOAT }) {
      double tol = dt == DataType.DOUBLE ? 1e-13 : 1e-5;
      for (boolean ta : new boolean[] { false, true }) {
        for (boolean tb : new boolean[] { false, true }) {
          for (char sa : "cfv".toCharArray()) {
            for (char sb : "cfv".toCharArray()) {
              for (char sc : "cfv".toCharArray()) {
                INDArray a = ta ? matrix(dt, k, m, sa, rnd) : matrix(dt, m, k, sa, rnd);
                INDArray b = tb ? matrix(dt, n, k, sb, rnd) : matrix(dt, k, n, sb, rnd);
                INDArray c = matrix(dt, m, n, sc, rnd);
                String what = dt + " ta=" + ta + " tb=" + tb + " storage " + sa + sb + sc;
                assertTrue(Gemm.direct(a, b, c, ta, tb), what);
                double[][] av = values(a), bv = values(b), cv = values(c);
                for (int i = 0; i < m; i++) {
                  for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int l = 0; l < k; l++) sum += (ta ? av[l][i] : av[i][l]) * (tb ? bv[j][l] : bv[l][j]);
                    assertEquals(sum, cv[i][j], tol, what + " entry " + i + "," + j);
                  }
                }
                cases++;
              }
            }
          }
        }
      }
    }
    assertEquals(2 * 4 * 27, cases);
  }

  @Test
  void aProductIntoAViewLeavesTheRestOfItsArrayAlone() {
    SplittableRandom rnd = new SplittableRandom(5);
    INDArray a = matrix(DataType.DOUBLE, 4, 3, 'c', rnd), b = matrix(DataType.DOUBLE, 3, 5, 'c', rnd);
    INDArray whole = Nd4j.valueArrayOf(new long[] { 6, 9 }, 7.0, DataType.DOUBLE);
    INDArray c = whole.get(NDArrayIndex.interval(1, 5), NDArrayIndex.interval(3, 8));
    assertTrue(Gemm.direct(a, b, c, false, false));
    INDArray expected = Nd4j.gemm(a, b, false, false);
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < 9; j++) {
        boolean inside = i >= 1 && i < 5 && j >= 3 && j < 8;
        assertEquals(inside ? expected.getDouble(i - 1, j - 3) : 7.0, whole.getDouble(i, j), 1e-14, i + "," + j);
      }
    }
  }

  @Test
  void layoutsWithoutAUnitStrideAndOtherTypesAreLeftToNd4j() {
    SplittableRandom rnd = new SplittableRandom(3);
    INDArray a = matrix(DataType.DOUBLE, 4, 6, 'c', rnd), b = matrix(DataType.DOUBLE, 3, 5, 'c', rnd);
    INDArray everySecondColumn = a.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2, 6));
    INDArray c = Nd4j.create(DataType.DOUBLE, 4, 5);
    assertFalse(Gemm.direct(everySecondColumn, b, c, false, false));
    assertFalse(Gemm.direct(a.castTo(DataType.FLOAT), b, c, false, false));
    assertFalse(Gemm.direct(Nd4j.create(DataType.DOUBLE, 1, 3), b, Nd4j.create(DataType.DOUBLE, 1, 5), false, false));
    assertFalse(Gemm.direct(a, b, c, false, false), "shapes that do not match");
    INDArray viaNd4j = Gemm.nn(everySecondColumn, b);
    assertEquals(Nd4j.gemm(everySecondColumn.dup(), b, false, false), viaNd4j);
  }

  /**
   * KKᵀ of the rows of K by syrk where the rows lie at unit stride (c order, rows of a larger c-order array at an
   * offset), by the full product otherwise (f order): symmetric, and each entry the rows' inner product summed in Java
   */
  @Test
  void gramIsEveryPairsInnerProduct() {
    SplittableRandom rnd = new SplittableRandom(17);
    int l = 6, p = 1001;
    for (DataType dt : new DataType[] { DataType.DOUBLE, DataType.FLOAT }) {
      for (char storage : "cfr".toCharArray()) {
        INDArray k;
        if (storage == 'r') {
          INDArray whole = Nd4j.create(dt, new long[] { l + 3, p + 5 }, 'c');
          k = whole.get(NDArrayIndex.interval(2, l + 2), NDArrayIndex.interval(3, p + 3));
          for (int i = 0; i < l; i++) {
            for (int j = 0; j < p; j++) k.putScalar(new long[] { i, j }, rnd.nextDouble(-1, 1));
          }
        } else {
          k = matrix(dt, l, p, storage, rnd);
        }
        double[][] v = values(k);
        double[][] g = Gemm.gram(k);
        for (int a = 0; a < l; a++) {
          for (int b = 0; b < l; b++) {
            double dot = 0;
            for (int j = 0; j < p; j++) dot += v[a][j] * v[b][j];
            assertEquals(dot, g[a][b], (dt == DataType.DOUBLE ? 1e-12 : 1e-4) * Math.max(1, Math.abs(dot)),
                dt + " " + storage + " entry " + a + ", " + b);
            assertEquals(g[b][a], g[a][b], 0.0, dt + " " + storage + ": symmetric");
          }
        }
      }
    }
  }
}

