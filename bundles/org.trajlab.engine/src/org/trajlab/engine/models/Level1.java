package org.trajlab.engine.models;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Vector reductions by OpenBLAS on an array's own buffer. ND4J's {@code norm2Number} on the MLP's 266,610 gradient
 * entries is a reduction operation with its own context and threads, a few percent of an SGD step that logs the
 * gradient's norm each update; OpenBLAS's dot product on the same buffer is one call.
 */
public final class Level1 {
  private Level1() {}

  /**
   * ‖a‖ = √(Σ a_i²), summed in double ({@code cblas_ddot}; for FLOAT arrays {@code cblas_dsdot}, which rounds each
   * square to float first: within 6e-8 relative, where ND4J's float reduction sums in float) where the array is the
   * whole of its own FLOAT or DOUBLE buffer; otherwise ND4J's norm2
   */
  public static double norm2(INDArray a) {
    boolean whole = FlatArrays.wholeBuffer(a) && a.length() <= Integer.MAX_VALUE;
    if (whole && a.dataType() == DataType.FLOAT) {
      FloatPointer p = (FloatPointer) a.data().addressPointer();
      return Math.sqrt(openblas_nolapack.cblas_dsdot((int) a.length(), p, 1, p, 1));
    }
    if (whole && a.dataType() == DataType.DOUBLE) {
      DoublePointer p = (DoublePointer) a.data().addressPointer();
      return Math.sqrt(openblas_nolapack.cblas_ddot((int) a.length(), p, 1, p, 1));
    }
    return a.norm2Number().doubleValue();
  }
}
