package org.trajlab.engine.models;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products by BLAS gemm (OpenBLAS directly, else {@code Nd4j.gemm}, see below). {@code INDArray.mmul} and {@code mmuli} run the same
 * product 1.6–2× slower in this ND4J (1.0.0-M2.1): [5000 × 784]·[784 × 300] took 17.2 ms against 10.8 ms in FLOAT and
 * 37.7 ms against 22.0 ms in DOUBLE on this machine's two cores. In DOUBLE the two give the same bits; in FLOAT
 * {@code mmul} goes to oneDNN's matmul, whose sums differ from BLAS's in rounding (≤ 1e-6 relative).
 * <p>
 * The names say which factor is transposed: {@code nt(a, b)} = a·bᵀ. The product is a new array (c order) unless
 * written {@code into} one; the factors may be views.
 * <p>
 * Where all three arrays are FLOAT or DOUBLE matrices whose rows or columns lie at unit stride, the product is one
 * call of OpenBLAS's {@code cblas_?gemm} on their buffers ({@link #direct}), the same library and function that
 * ND4J's {@code Mmul} operation calls after its own checks and shape calculations: [128 × 100]·[100 × 10] took
 * 2.7 µs against 38 µs through {@code Nd4j.gemm}. Other layouts, and {@code -Dtrajlab.directGemm=false}, go through
 * {@code Nd4j.gemm}.
 */
public final class Gemm {
  private Gemm() {}

  /** whether products go straight to OpenBLAS where the layouts allow ({@code trajlab.directGemm}, default true) */
  static final boolean DIRECT = !"false".equalsIgnoreCase(System.getProperty("trajlab.directGemm", "true"));

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
    return gemm(a, b, Nd4j.createUninitialized(a.dataType(), new long[] { rows, cols }, 'c'), ta, tb);
  }

  private static INDArray gemm(INDArray a, INDArray b, INDArray c, boolean ta, boolean tb) {
    return gemm(a, b, c, ta, tb, 1.0);
  }

  private static INDArray gemm(INDArray a, INDArray b, INDArray c, boolean ta, boolean tb, double alpha) {
    if (DIRECT && direct(a, b, c, ta, tb, alpha)) return c;
    return Nd4j.gemm(a, b, c, ta, tb, alpha, 0.0);
  }

  /**
   * c ← op(a)·op(b) by one {@code cblas_?gemm} call, in the storage order of c: each factor is described in that
   * order as itself (its leading entries at unit stride) or as its transpose (its other entries at unit stride).
   *
   * @return false, having done nothing, where a layout or type does not allow it (then ND4J's gemm is used)
   */
  public static boolean direct(INDArray a, INDArray b, INDArray c, boolean ta, boolean tb) {
    return direct(a, b, c, ta, tb, 1.0);
  }

  /** c ← alpha·op(a)·op(b), as {@link #direct(INDArray, INDArray, INDArray, boolean, boolean)} */
  static boolean direct(INDArray a, INDArray b, INDArray c, boolean ta, boolean tb, double alpha) {
    DataType type = c.dataType();
    if ((type != DataType.FLOAT && type != DataType.DOUBLE) || a.dataType() != type || b.dataType() != type) return false;
    if (a.rank() != 2 || b.rank() != 2 || c.rank() != 2) return false;
    long m = c.size(0), n = c.size(1), k = ta ? a.size(0) : a.size(1);
    if ((ta ? a.size(1) : a.size(0)) != m || (tb ? b.size(1) : b.size(0)) != k || (tb ? b.size(0) : b.size(1)) != n)
      return false;
    if (m < 2 || n < 2 || k < 2 || m > Integer.MAX_VALUE || n > Integer.MAX_VALUE || k > Integer.MAX_VALUE)
      return false;
    boolean rowMajor;
    long ldc;
    if (c.stride(1) == 1 && c.stride(0) >= n) {
      rowMajor = true;
      ldc = c.stride(0);
    } else if (c.stride(0) == 1 && c.stride(1) >= m) {
      rowMajor = false;
      ldc = c.stride(1);
    } else {
      return false;
    }
    long[] la = leading(a, rowMajor), lb = leading(b, rowMajor);
    if (la == null || lb == null || ldc > Integer.MAX_VALUE) return false;
    int order = rowMajor ? openblas_nolapack.CblasRowMajor : openblas_nolapack.CblasColMajor;
    int opA = (ta ^ (la[1] == 1)) ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
    int opB = (tb ^ (lb[1] == 1)) ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
    if (type == DataType.FLOAT) {
      openblas_nolapack.cblas_sgemm(order, opA, opB, (int) m, (int) n, (int) k, (float) alpha,
          (FloatPointer) a.data().addressPointer(), (int) la[0], (FloatPointer) b.data().addressPointer(), (int) lb[0],
          0f, (FloatPointer) c.data().addressPointer(), (int) ldc);
    } else {
      openblas_nolapack.cblas_dgemm(order, opA, opB, (int) m, (int) n, (int) k, alpha,
          (DoublePointer) a.data().addressPointer(), (int) la[0], (DoublePointer) b.data().addressPointer(), (int) lb[0],
          0.0, (DoublePointer) c.data().addressPointer(), (int) ldc);
    }
    return true;
  }

  /**
   * A matrix as BLAS reads it in the given storage order: {leading dimension, 0} where it is stored in that order,
   * {leading dimension, 1} where its transpose is; null where neither (no unit stride, or overlapping rows)
   */
  private static long[] leading(INDArray x, boolean rowMajor) {
    long inner = rowMajor ? x.stride(1) : x.stride(0), outer = rowMajor ? x.stride(0) : x.stride(1);
    long innerSize = rowMajor ? x.size(1) : x.size(0), outerSize = rowMajor ? x.size(0) : x.size(1);
    long[] ld = null;
    if (inner == 1 && outer >= innerSize) ld = new long[] { outer, 0 };
    else if (outer == 1 && inner >= outerSize) ld = new long[] { inner, 1 };
    return ld == null || ld[0] > Integer.MAX_VALUE ? null : ld;
  }

  /**
   * The Gram matrix KKᵀ of the rows of k [L, P] (FLOAT or DOUBLE), as doubles: by one {@code cblas_?syrk} (the lower
   * triangle, mirrored) where k's rows lie at unit stride — for 25 rows of the MLP's 266,610 parameters 5.7 against 14
   * ms for gemm's full product in FLOAT, 12.5 against 21.7 ms in DOUBLE —, else by {@link #nt}. The entries are those
   * of the full product up to the order of the sums.
   */
  public static double[][] gram(INDArray k) {
    DataType type = k.dataType();
    long l = k.size(0), p = k.size(1);
    if (!DIRECT || k.rank() != 2 || (type != DataType.FLOAT && type != DataType.DOUBLE) || k.stride(1) != 1
        || k.stride(0) < p || k.stride(0) > Integer.MAX_VALUE || l > Integer.MAX_VALUE || p > Integer.MAX_VALUE || l < 2) {
      INDArray kk = nt(k, k);
      double[][] g = kk.toDoubleMatrix();
      kk.close();
      return g;
    }
    int n = (int) l;
    INDArray c = Nd4j.create(type, new long[] { n, n }, 'c');
    try {
      if (type == DataType.FLOAT) {
        openblas_nolapack.cblas_ssyrk(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasLower,
            openblas_nolapack.CblasNoTrans, n, (int) p, 1f, (FloatPointer) k.data().addressPointer(), (int) k.stride(0),
            0f, (FloatPointer) c.data().addressPointer(), n);
      } else {
        openblas_nolapack.cblas_dsyrk(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasLower,
            openblas_nolapack.CblasNoTrans, n, (int) p, 1.0, (DoublePointer) k.data().addressPointer(), (int) k.stride(0),
            0.0, (DoublePointer) c.data().addressPointer(), n);
      }
      double[] v = c.data().asDouble();
      double[][] g = new double[n][n];
      for (int a = 0; a < n; a++) {
        for (int b = 0; b <= a; b++) {
          g[a][b] = v[a * n + b];
          g[b][a] = v[a * n + b];
        }
      }
      return g;
    } finally {
      c.close();
    }
  }

  /** c ← a·b (c of the product's shape, any order); c returned */
  public static INDArray nnInto(INDArray a, INDArray b, INDArray c) {
    return gemm(a, b, c, false, false);
  }

  /** c ← a·bᵀ; c returned */
  public static INDArray ntInto(INDArray a, INDArray b, INDArray c) {
    return gemm(a, b, c, false, true);
  }

  /** c ← aᵀ·b; c returned */
  public static INDArray tnInto(INDArray a, INDArray b, INDArray c) {
    return gemm(a, b, c, true, false);
  }

  /** c ← alpha·aᵀ·b (BLAS scales the product as it stores it); c returned */
  public static INDArray tnInto(INDArray a, INDArray b, INDArray c, double alpha) {
    return gemm(a, b, c, true, false, alpha);
  }

  /**
   * The product aᵀb of rows {@code from .. from + rows} of a [N, m] and b [N, n] (each a whole c-order buffer of its
   * own), written column-major (an f-order [m, n] matrix, leading dimension m) times alpha at entry {@code at} of c's
   * buffer (a whole buffer), by one {@code cblas_?gemm} on the buffers at those offsets: no ND4J view of the row block
   * or of the destination is made (the noise probe's group gradients made 150 per estimate, whose shape code the JIT
   * compiled and recompiled during a run's first estimates).
   *
   * @return false, having done nothing, where the arrays are not so laid out or BLAS is not called directly
   */
  public static boolean tnRowsInto(INDArray a, INDArray b, long from, int rows, INDArray c, long at, double alpha) {
    DataType type = c.dataType();
    if (!DIRECT || (type != DataType.FLOAT && type != DataType.DOUBLE) || a.dataType() != type || b.dataType() != type
        || a.rank() != 2 || b.rank() != 2 || !FlatArrays.ownBuffer(a) || !FlatArrays.ownBuffer(b)
        || !FlatArrays.wholeBuffer(c) || a.size(0) != b.size(0) || from < 0 || rows < 1 || from + rows > a.size(0)) {
      return false;
    }
    long m = a.size(1), n = b.size(1);
    if (m < 1 || n < 1 || at < 0 || at + m * n > c.length() || a.length() > Integer.MAX_VALUE
        || b.length() > Integer.MAX_VALUE || c.length() > Integer.MAX_VALUE) {
      return false;
    }
    int cm = openblas_nolapack.CblasColMajor;
    int nt = openblas_nolapack.CblasNoTrans, tr = openblas_nolapack.CblasTrans;
    // column-major: a's row block is an [m × rows] matrix (leading dimension m), b's an [n × rows] one, so aᵀb = A·Bᵀ
    if (type == DataType.FLOAT) {
      FloatPointer pa = new FloatPointer(a.data().addressPointer()).position(from * m);
      FloatPointer pb = new FloatPointer(b.data().addressPointer()).position(from * n);
      FloatPointer pc = new FloatPointer(c.data().addressPointer()).position(at);
      openblas_nolapack.cblas_sgemm(cm, nt, tr, (int) m, (int) n, rows, (float) alpha, pa, (int) m, pb, (int) n, 0f, pc,
          (int) m);
    } else {
      DoublePointer pa = new DoublePointer(a.data().addressPointer()).position(from * m);
      DoublePointer pb = new DoublePointer(b.data().addressPointer()).position(from * n);
      DoublePointer pc = new DoublePointer(c.data().addressPointer()).position(at);
      openblas_nolapack.cblas_dgemm(cm, nt, tr, (int) m, (int) n, rows, alpha, pa, (int) m, pb, (int) n, 0.0, pc, (int) m);
    }
    return true;
  }
}
