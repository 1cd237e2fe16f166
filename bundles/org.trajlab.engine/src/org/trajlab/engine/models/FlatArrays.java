package org.trajlab.engine.models;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Values moved between Java arrays and an ND4J array's own buffer, without ND4J operations: reading a FLOAT array
 * through a cast and a copy took 0.5 ms for 5,000 × 10 probabilities, building one from a Java array and casting it
 * 8 ms for 128 rows; through the buffer these take microseconds and give the same values (float to double exactly,
 * double to float rounded to nearest, as ND4J's casts).
 */
public final class FlatArrays {
  private FlatArrays() {}

  /** whether the array is the whole of its own buffer, c order (then its buffer's entries are its values in order) */
  public static boolean ownBuffer(INDArray a) {
    return wholeBuffer(a) && a.ordering() == 'c';
  }

  /** whether the array is the whole of its own buffer, in either order (its buffer's entries are its values) */
  public static boolean wholeBuffer(INDArray a) {
    return !a.isView() && a.offset() == 0 && a.data().length() == a.length();
  }

  /** the array's values in c order, as doubles */
  public static double[] values(INDArray a) {
    double[] v = new double[Math.toIntExact(a.length())];
    read(a, v);
    return v;
  }

  /** the array's values in c order into {@code out} (at least as long as the array) */
  public static void read(INDArray a, double[] out) {
    int n = Math.toIntExact(a.length());
    if (ownBuffer(a) && a.dataType() == DataType.DOUBLE) {
      a.data().asNioDouble().get(0, out, 0, n);
    } else if (ownBuffer(a) && a.dataType() == DataType.FLOAT) {
      java.nio.FloatBuffer b = a.data().asNioFloat();
      for (int i = 0; i < n; i++) out[i] = b.get(i);
    } else {
      INDArray asDouble = a.castTo(DataType.DOUBLE).dup('c');
      asDouble.data().asNioDouble().get(0, out, 0, n);
      asDouble.close();
    }
  }

  /** the entries {@code from} .. end of the array (its values in c order) set to theta's; the others are left */
  public static void write(INDArray a, double[] theta, int from) {
    int n = Math.toIntExact(a.length());
    if (ownBuffer(a) && a.dataType() == DataType.DOUBLE) {
      a.data().asNioDouble().put(from, theta, from, n - from);
    } else if (ownBuffer(a) && a.dataType() == DataType.FLOAT) {
      java.nio.FloatBuffer b = a.data().asNioFloat();
      for (int i = from; i < n; i++) b.put(i, (float) theta[i]);
    } else if (from == 0) {
      INDArray raw = Nd4j.createFromArray(theta);
      INDArray shaped = raw.reshape(a.shape());
      INDArray cast = shaped.castTo(a.dataType());
      a.assign(cast);
      for (INDArray t : new INDArray[] { cast, shaped, raw }) {
        if (!t.wasClosed() && t.closeable()) t.close();
      }
    } else {
      throw new IllegalArgumentException("only an array of its own FLOAT or DOUBLE buffer is written from entry " + from);
    }
  }
}
