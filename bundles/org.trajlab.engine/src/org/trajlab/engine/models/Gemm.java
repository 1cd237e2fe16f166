package org.trajlab.engine.models;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products by ND4J's BLAS gemm ({@code Nd4j.gemm}). {@code INDArray.mmul} and {@code mmuli} run the same
 * product 1.6–2× slower in this ND4J (1.0.0-M2.1): [5000 × 784]·[784 × 300] took 17.2 ms against 10.8 ms in FLOAT and
 * 37.7 ms against 22.0 ms in DOUBLE on this machine's two cores. In DOUBLE the two give the same bits; in FLOAT
 * {@code mmul} goes to oneDNN's matmul, whose sums differ from BLAS's in rounding (≤ 1e-6 relative).
 * <p>
 * The names say which factor is transposed: {@code nt(a, b)} = a·bᵀ. The product is a new array (c order) unless
 * written {@code into} one; the factors may be views.
 */
public final class Gemm {
  private Gemm() {}

  /** a·b */
  public static INDArray nn(INDArray a, INDArray b) {
    return product(a, b, false, false);
  }

  /** aᵀ·b */
  public static INDArray tn(INDArray a, INDArray b) {
    return product(a, b, true, false);
  }

  /** a·bᵀ */
  public static INDArray nt(INDArray a, INDArray b) {
    return product(a, b, false, true);
  }

  /**
   * op(a)·op(b) into a new c-order array: BLAS wrote [2560 × 784]·[784 × 300] in DOUBLE into c order in 15.8 ms, into
   * the f order Nd4j.gemm(a, b, ta, tb) picks in 18.2–20.7 ms
   */
  private static INDArray product(INDArray a, INDArray b, boolean ta, boolean tb) {
    long rows = ta ? a.size(1) : a.size(0);
    long cols = tb ? b.size(0) : b.size(1);
    return Nd4j.gemm(a, b, Nd4j.createUninitialized(a.dataType(), new long[] { rows, cols }, 'c'), ta, tb, 1.0, 0.0);
  }

  /** c ← a·b (c of the product's shape, any order); c returned */
  public static INDArray nnInto(INDArray a, INDArray b, INDArray c) {
    return Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
  }

  /** c ← a·bᵀ; c returned */
  public static INDArray ntInto(INDArray a, INDArray b, INDArray c) {
    return Nd4j.gemm(a, b, c, false, true, 1.0, 0.0);
  }

  /** c ← aᵀ·b; c returned */
  public static INDArray tnInto(INDArray a, INDArray b, INDArray c) {
    return Nd4j.gemm(a, b, c, true, false, 1.0, 0.0);
  }
}
