package org.trajlab.engine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.trajlab.dl4j.Nd4jSetup;
import org.trajlab.engine.models.Level1;

/** The gradient norm by OpenBLAS against the sum of squares in Java, in FLOAT and DOUBLE; views go to ND4J. */
public class Level1Test {
  @BeforeAll
  static void nd4j() {
    Nd4jSetup.init();
  }

  @Test
  void norm2IsTheRootOfTheSumOfSquaresInDouble() {
    SplittableRandom rnd = new SplittableRandom(11);
    for (DataType dt : new DataType[] { DataType.FLOAT, DataType.DOUBLE }) {
      for (int n : new int[] { 1, 7, 266_610 }) {
        INDArray a = Nd4j.create(dt, new long[] { n }, 'c');
        for (int i = 0; i < n; i++) a.putScalar(i, rnd.nextDouble(-1, 1) * (i % 3 == 0 ? 1e-3 : 1));
        double sum = 0;
        for (int i = 0; i < n; i++) sum += a.getDouble(i) * a.getDouble(i);
        // FLOAT: OpenBLAS's dsdot rounds each square to float (2^-24 relative) before it sums in double
        double tol = dt == DataType.FLOAT ? 6e-8 : 1e-13;
        assertEquals(Math.sqrt(sum), Level1.norm2(a), tol * Math.sqrt(sum), dt + " n = " + n);
      }
      INDArray m = Nd4j.rand(dt, 6, 5);
      INDArray view = m.get(NDArrayIndex.interval(1, 4), NDArrayIndex.all());
      assertEquals(view.norm2Number().doubleValue(), Level1.norm2(view), 0.0, dt + " view");
    }
  }
}
