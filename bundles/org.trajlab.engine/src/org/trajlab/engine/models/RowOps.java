package org.trajlab.engine.models;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The dense stack's elementwise steps at a training batch as one Java loop over the arrays' buffers instead of an ND4J
 * operation each. There an ND4J operation costs tens of microseconds of its own (a custom op's context, a broadcast's
 * shape checks) on a few ten thousand entries, which one pass reads in microseconds: the MLP's SGD step at a batch of
 * 128 went from 3.0 to 2.3 ms (FLOAT, fastest of 12 runs of 300 steps) with the bias, relu and relu's backprop here.
 * On large arrays ND4J's operations, on every core, are faster than one Java thread (the loss on 5,000 examples took
 * 25 against 17 ms), so only arrays of at most {@link #MAX_ENTRIES} entries take this path. The values are those of
 * the ND4J operations they replace, in the arrays' precision: a sum rounded once ({@code addiRowVector}), a selection
 * without arithmetic (DL4J's relu {@code x < 0 ? 0 : x} and its backprop {@code x > 0 ? ε : 0}).
 * <p>
 * Every array is the whole of its own buffer, of one type, FLOAT or DOUBLE ({@link #applies}, {@link #wholeBuffers}).
 */
final class RowOps {
  private RowOps() {}

  /** the largest arrays the loops take: above, ND4J's operations on every core are faster */
  static final long MAX_ENTRIES = 1 << 16;

  /** whether the arrays are whole c-order buffers of one type, FLOAT or DOUBLE, the first of at most MAX_ENTRIES */
  static boolean applies(INDArray... arrays) {
    DataType dt = arrays[0].dataType();
    if (dt != DataType.FLOAT && dt != DataType.DOUBLE || arrays[0].length() > MAX_ENTRIES) return false;
    for (INDArray a : arrays) {
      if (a.dataType() != dt || !FlatArrays.ownBuffer(a)) return false;
    }
    return true;
  }

  /**
   * whether the arrays are each the whole of their own buffer (either order), of one type, FLOAT or DOUBLE: for loops
   * that read the buffers' entries in turn; the first of at most MAX_ENTRIES entries
   */
  static boolean wholeBuffers(INDArray... arrays) {
    return arrays[0].length() <= MAX_ENTRIES && wholeBuffersOfAnyLength(arrays);
  }

  /** as {@link #wholeBuffers}, of any length: for loops that take the buffers in blocks */
  static boolean wholeBuffersOfAnyLength(INDArray... arrays) {
    DataType dt = arrays[0].dataType();
    if (dt != DataType.FLOAT && dt != DataType.DOUBLE) return false;
    for (INDArray a : arrays) {
      if (a.dataType() != dt || !FlatArrays.wholeBuffer(a)) return false;
    }
    return true;
  }

  /**
   * z[i, j] += p[from + j] for every row i of z [rows, cols]: the bias row, entries {@code from ..} of the flat
   * parameters {@code p} (a whole c-order buffer of z's type)
   */
  static void addRow(INDArray z, INDArray p, int from) {
    int cols = (int) z.size(1);
    int n = Math.toIntExact(z.length());
    // one method per type (as below): a method whose other type's branch was never taken is compiled again, from
    // the start, the first time it is (a float run's first noise estimate after the double ones, say)
    if (z.dataType() == DataType.FLOAT) addRow(z.data().asNioFloat(), p.data().asNioFloat(), from, n, cols);
    else addRow(z.data().asNioDouble(), p.data().asNioDouble(), from, n, cols);
  }

  private static void addRow(FloatBuffer out, FloatBuffer p, int from, int n, int cols) {
    float[] v = floats(n, 0);
    float[] row = floats(cols, 1);
    out.get(0, v, 0, n);
    p.get(from, row, 0, cols);
    for (int i = 0; i < n; i += cols) {
      for (int j = 0; j < cols; j++) v[i + j] += row[j];
    }
    out.put(0, v, 0, n);
  }

  private static void addRow(DoubleBuffer out, DoubleBuffer p, int from, int n, int cols) {
    double[] v = doubles(n, 0);
    double[] row = doubles(cols, 1);
    out.get(0, v, 0, n);
    p.get(from, row, 0, cols);
    for (int i = 0; i < n; i += cols) {
      for (int j = 0; j < cols; j++) v[i + j] += row[j];
    }
    out.put(0, v, 0, n);
  }

  /**
   * a = relu(z) = (z < 0 ? 0 : z), entry by entry (a may be z; both of one order, see {@link #wholeBuffers}), on the
   * entries' bits ({@link #reluBits(IntBuffer, IntBuffer, int)})
   */
  static void relu(INDArray z, INDArray a) {
    int n = Math.toIntExact(z.length());
    if (z.dataType() == DataType.FLOAT) reluBits(z.data().asNio().asIntBuffer(), a.data().asNio().asIntBuffer(), n);
    else reluBits(z.data().asNio().asLongBuffer(), a.data().asNio().asLongBuffer(), n);
  }

  /**
   * DL4J's relu (z < 0 ? 0 : z) of n FLOAT entries given as their bits: a negative number (sign bit set, not −0, not
   * a NaN) becomes +0, every other entry (+0, −0, NaN, positive) stays, by integer operations without a branch. The
   * comparison's select does not vectorise and mispredicts on the signs of pre-activations (64–190 µs for 38,400
   * entries against 3.5 µs here, as fast as Math.max, which turns −0 into +0). In blocks of at most
   * {@link #MAX_ENTRIES}.
   */
  private static void reluBits(IntBuffer z, IntBuffer a, int n) {
    int[] v = ints(Math.min(n, (int) MAX_ENTRIES), 0);
    for (int from = 0; from < n; from += v.length) {
      int len = Math.min(v.length, n - from);
      z.get(from, v, 0, len);
      for (int k = 0; k < len; k++) {
        int b = v[k];
        int mag = b & 0x7FFFFFFF;
        int cut = (b >> 31) & (-mag >> 31) & ((mag - 0x7F800001) >> 31); // sign, not zero, not NaN
        v[k] = b & ~cut;
      }
      a.put(from, v, 0, len);
    }
  }

  /** as {@link #reluBits(IntBuffer, IntBuffer, int)} for DOUBLE entries */
  private static void reluBits(LongBuffer z, LongBuffer a, int n) {
    long[] v = longs(Math.min(n, (int) MAX_ENTRIES), 0);
    for (int from = 0; from < n; from += v.length) {
      int len = Math.min(v.length, n - from);
      z.get(from, v, 0, len);
      for (int k = 0; k < len; k++) {
        long b = v[k];
        long mag = b & 0x7FFFFFFFFFFFFFFFL;
        long cut = (b >> 63) & (-mag >> 63) & ((mag - 0x7FF0000000000001L) >> 63);
        v[k] = b & ~cut;
      }
      a.put(from, v, 0, len);
    }
  }

  /**
   * z ← (z > 0 ? ε : 0), entry by entry: relu's backprop of the errors ε into z's buffer, as DL4J's (which writes into
   * its input too); ε is read in z's order, the entries of its buffer in turn. On the bits, without a branch: ε's
   * bits kept where z's are those of a positive number (not a NaN), else +0 (the comparison's select: 54–120 µs for
   * 38,400 entries, 4.5 µs here). Any length, in blocks of MAX_ENTRIES: on the errors a backward pass hands it (the
   * transposed view of an f-order product), DL4J's backprop was no parallel speed-up but ND4J's slow path on mixed
   * orders (the noise probe's 3,200 × 300 errors: some 20 ms in FLOAT and 40 ms in DOUBLE against 1–3 ms here).
   */
  static void reluBackprop(INDArray z, INDArray eps) {
    reluBackprop(z, eps, z);
  }

  /**
   * out ← (z > 0 ? ε : 0), as {@link #reluBackprop(INDArray, INDArray)} but into {@code out} (z itself or an array of
   * its type and length, whose buffer is written in turn): z and ε are left as they are.
   */
  static void reluBackprop(INDArray z, INDArray eps, INDArray out) {
    int n = Math.toIntExact(z.length());
    int block = (int) Math.min(n, MAX_ENTRIES);
    if (z.dataType() == DataType.FLOAT) {
      reluBackprop(z.data().asNio().asIntBuffer(), eps.data().asNio().asIntBuffer(), out.data().asNio().asIntBuffer(), n,
          block, ints(block, 0), ints(block, 1));
    } else {
      reluBackprop(z.data().asNio().asLongBuffer(), eps.data().asNio().asLongBuffer(), out.data().asNio().asLongBuffer(),
          n, block, longs(block, 0), longs(block, 1));
    }
  }

  // one method per type, so that the JIT compiles each loop on its own (as DenseStack's blend)

  private static void reluBackprop(IntBuffer z, IntBuffer in, IntBuffer out, int n, int block, int[] v, int[] e) {
    for (int from = 0; from < n; from += block) {
      int len = Math.min(block, n - from);
      z.get(from, v, 0, len);
      in.get(from, e, 0, len);
      for (int k = 0; k < len; k++) {
        int b = v[k];
        v[k] = e[k] & ((-b & ~b) >> 31) & ((b - 0x7F800001) >> 31); // z > 0: positive, not NaN
      }
      out.put(from, v, 0, len);
    }
  }

  private static void reluBackprop(LongBuffer z, LongBuffer in, LongBuffer out, int n, int block, long[] v, long[] e) {
    for (int from = 0; from < n; from += block) {
      int len = Math.min(block, n - from);
      z.get(from, v, 0, len);
      in.get(from, e, 0, len);
      for (int k = 0; k < len; k++) {
        long b = v[k];
        v[k] = e[k] & ((-b & ~b) >> 63) & ((b - 0x7FF0000000000001L) >> 63);
      }
      out.put(from, v, 0, len);
    }
  }

  /**
   * The softmax output layer's step of a training batch in one pass over its rows: p = softmax(z) row by row
   * (exp(z − max) / Σ in the arrays' precision, as ND4J's softmax), the summed score −Σ y ⊙ log(clip(p)) (clipped to
   * [ε, 1 − ε] in that precision, the logarithm and the sum in double) returned, and the output errors p − y written
   * into {@code errors}. Replaces ND4J's softmax, the score's six operations and the subtraction (some 100 µs at a
   * batch of 128, each an operation of its own); the values agree with theirs to the precision's rounding. z, y and
   * errors: [N, classes], whole c-order buffers of one type, FLOAT or DOUBLE ({@link #applies}); errors may be z.
   */
  static double softmaxCrossEntropy(INDArray z, INDArray y, double clipEps, INDArray errors) {
    // one loop per type, as DenseStack's blend: one loop in double for both types (FLOAT converted in and out) made
    // the SGD step slower in 3 of 3 alternations (FLOAT 1.30-1.38 against 0.97-1.16 ms); one method per type, so
    // that the JIT compiles each on its own (see addRow)
    int cols = (int) z.size(1);
    int n = Math.toIntExact(z.length());
    if (z.dataType() == DataType.DOUBLE) {
      return softmaxCrossEntropy(z.data().asNioDouble(), y.data().asNioDouble(), clipEps, errors.data().asNioDouble(), n,
          cols);
    }
    return softmaxCrossEntropy(z.data().asNioFloat(), y.data().asNioFloat(), clipEps, errors.data().asNioFloat(), n, cols);
  }

  private static double softmaxCrossEntropy(DoubleBuffer z, DoubleBuffer y, double clipEps, DoubleBuffer errors, int n,
      int cols) {
    double[] v = doubles(n, 0);
    double[] t = doubles(n, 1);
    z.get(0, v, 0, n);
    y.get(0, t, 0, n);
    double score = 0;
    for (int i = 0; i < n; i += cols) {
      double max = v[i];
      for (int j = 1; j < cols; j++) max = Math.max(max, v[i + j]);
      double sum = 0;
      for (int j = 0; j < cols; j++) {
        double e = Math.exp(v[i + j] - max);
        v[i + j] = e;
        sum += e;
      }
      for (int j = 0; j < cols; j++) {
        double p = v[i + j] / sum;
        double label = t[i + j];
        if (label != 0) score -= label * Math.log(clipEps > 0 ? Math.min(Math.max(p, clipEps), 1 - clipEps) : p);
        v[i + j] = p - label;
      }
    }
    errors.put(0, v, 0, n);
    return score;
  }

  private static double softmaxCrossEntropy(FloatBuffer z, FloatBuffer y, double clipEps, FloatBuffer errors, int n,
      int cols) {
    float[] v = floats(n, 0);
    float[] t = floats(n, 1);
    z.get(0, v, 0, n);
    y.get(0, t, 0, n);
    float lo = (float) clipEps;
    float hi = (float) (1.0 - clipEps);
    double score = 0;
    for (int i = 0; i < n; i += cols) {
      float max = v[i];
      for (int j = 1; j < cols; j++) max = Math.max(max, v[i + j]);
      float sum = 0f;
      for (int j = 0; j < cols; j++) {
        float e = (float) Math.exp(v[i + j] - max);
        v[i + j] = e;
        sum += e;
      }
      for (int j = 0; j < cols; j++) {
        float p = v[i + j] / sum;
        float label = t[i + j];
        if (label != 0f) score -= label * Math.log(clipEps > 0 ? Math.min(Math.max(p, lo), hi) : p);
        v[i + j] = p - label;
      }
    }
    errors.put(0, v, 0, n);
    return score;
  }

  /**
   * g[from + j] = scale · Σ_i e[i, j]: a layer's bias gradient from its errors e [N, cols] (a whole c-order buffer,
   * {@link #applies}), summed in double and rounded once, into entries {@code from ..} of the flat gradient g (a whole
   * buffer of e's type); the mean's division folded into {@code scale}
   */
  static void columnSums(INDArray e, double scale, INDArray g, int from) {
    int cols = (int) e.size(1);
    int n = Math.toIntExact(e.length());
    if (e.dataType() == DataType.DOUBLE) columnSums(e.data().asNioDouble(), scale, g.data().asNioDouble(), from, n, cols);
    else columnSums(e.data().asNioFloat(), scale, g.data().asNioFloat(), from, n, cols);
  }

  private static void columnSums(DoubleBuffer e, double scale, DoubleBuffer g, int from, int n, int cols) {
    double[] acc = doubles(cols, 1);
    java.util.Arrays.fill(acc, 0, cols, 0.0);
    double[] v = doubles(n, 0);
    e.get(0, v, 0, n);
    for (int i = 0; i < n; i += cols) {
      for (int j = 0; j < cols; j++) acc[j] += v[i + j];
    }
    for (int j = 0; j < cols; j++) acc[j] *= scale;
    g.put(from, acc, 0, cols);
  }

  private static void columnSums(FloatBuffer e, double scale, FloatBuffer g, int from, int n, int cols) {
    double[] acc = doubles(cols, 1);
    java.util.Arrays.fill(acc, 0, cols, 0.0);
    float[] v = floats(n, 0);
    e.get(0, v, 0, n);
    for (int i = 0; i < n; i += cols) {
      for (int j = 0; j < cols; j++) acc[j] += v[i + j];
    }
    float[] out = floats(cols, 1);
    for (int j = 0; j < cols; j++) out[j] = (float) (acc[j] * scale);
    g.put(from, out, 0, cols);
  }

  /**
   * The bias gradients of consecutive groups of rows: for group k (the {@code sizes[k]} rows of e [N, cols] after the
   * previous groups'), g[k·rowStride + from + j] = Σ_{i in group k} e[i, j] / sizes[k], summed in double and rounded
   * once, as {@link #columnSums}; each row of e read into Java in one block copy. e and g whole c-order buffers of one
   * type, FLOAT or DOUBLE, of any length ({@link FlatArrays#ownBuffer}); g holds the groups' rows at {@code rowStride}.
   */
  static void groupColumnSums(INDArray e, int[] sizes, INDArray g, long rowStride, long from) {
    int cols = (int) e.size(1);
    if (e.dataType() == DataType.DOUBLE) {
      groupColumnSums(e.data().asNioDouble(), cols, sizes, g.data().asNioDouble(), rowStride, from, doubles(cols, 0),
          doubles(cols, 1));
    } else {
      groupColumnSums(e.data().asNioFloat(), cols, sizes, g.data().asNioFloat(), rowStride, from, floats(cols, 0),
          floats(cols, 1), doubles(cols, 1));
    }
  }

  private static void groupColumnSums(java.nio.DoubleBuffer in, int cols, int[] sizes, java.nio.DoubleBuffer out,
      long rowStride, long from, double[] row, double[] acc) {
    for (int k = 0, i = 0; k < sizes.length; k++) {
      java.util.Arrays.fill(acc, 0, cols, 0.0);
      for (int r = 0; r < sizes[k]; r++, i += cols) {
        in.get(i, row, 0, cols);
        for (int j = 0; j < cols; j++) acc[j] += row[j];
      }
      for (int j = 0; j < cols; j++) acc[j] /= sizes[k];
      out.put(Math.toIntExact(k * rowStride + from), acc, 0, cols);
    }
  }

  private static void groupColumnSums(java.nio.FloatBuffer in, int cols, int[] sizes, java.nio.FloatBuffer out,
      long rowStride, long from, float[] row, float[] sums, double[] acc) {
    for (int k = 0, i = 0; k < sizes.length; k++) {
      java.util.Arrays.fill(acc, 0, cols, 0.0);
      for (int r = 0; r < sizes[k]; r++, i += cols) {
        in.get(i, row, 0, cols);
        for (int j = 0; j < cols; j++) acc[j] += row[j];
      }
      for (int j = 0; j < cols; j++) sums[j] = (float) (acc[j] / sizes[k]);
      out.put(Math.toIntExact(k * rowStride + from), sums, 0, cols);
    }
  }

  /**
   * Java arrays the loops work in, two per thread and type, grown as needed (at most MAX_ENTRIES long): copying a
   * buffer into one and back is a block copy, and loops over Java arrays run several times faster than entry-by-entry
   * access to a buffer
   */
  private static final ThreadLocal<float[][]> FLOATS = ThreadLocal.withInitial(() -> new float[2][0]);
  private static final ThreadLocal<double[][]> DOUBLES = ThreadLocal.withInitial(() -> new double[2][0]);
  /** the bits of FLOAT and DOUBLE entries, for the loops on them */
  private static final ThreadLocal<int[][]> INTS = ThreadLocal.withInitial(() -> new int[2][0]);
  private static final ThreadLocal<long[][]> LONGS = ThreadLocal.withInitial(() -> new long[2][0]);

  private static int[] ints(int n, int which) {
    int[][] s = INTS.get();
    if (s[which].length < n) s[which] = new int[n];
    return s[which];
  }

  private static long[] longs(int n, int which) {
    long[][] s = LONGS.get();
    if (s[which].length < n) s[which] = new long[n];
    return s[which];
  }

  private static float[] floats(int n, int which) {
    float[][] s = FLOATS.get();
    if (s[which].length < n) s[which] = new float[n];
    return s[which];
  }

  private static double[] doubles(int n, int which) {
    double[][] s = DOUBLES.get();
    if (s[which].length < n) s[which] = new double[n];
    return s[which];
  }
}
