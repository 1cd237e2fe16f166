package org.trajlab.engine.models;

import java.nio.DoubleBuffer;
import java.util.stream.IntStream;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The rearrangements a convolution by matrix products needs, in DOUBLE, written in Java over the arrays' off-heap
 * buffers, in parallel over the examples: im2col, its adjoint col2im, and NCHW images to and from rows [N·H·W, C].
 * ND4J's own im2col into the permuted layout DL4J's ConvolutionLayer uses took 1.3 s for 64 images of 32x32x32 on
 * this machine kind, against 0.35 s here (under the same load). Inputs must not be views (their buffer starts at
 * element 0); they may be in any ordering, read through their strides.
 */
final class ImageRows {
  private ImageRows() {}

  /** a 2-d or 4-d array's buffer, with its strides */
  private record Strided(DoubleBuffer data, long[] stride) {
    static Strided of(INDArray a) {
      if (a.isView() || a.offset() != 0 || a.dataType() != DataType.DOUBLE) {
        throw new IllegalArgumentException("a DOUBLE array that owns its buffer is needed");
      }
      return new Strided(a.data().asNioDouble(), a.stride());
    }
  }

  /**
   * im2col of NCHW images [N, C, H, W] for a kh x kw kernel with stride and zero padding: rows [N·Ho·Wo, C·kh·kw]
   * ('c'), a row per output position (example, then output row, then column), a column per (channel, kernel row,
   * kernel column), as DL4J orders both
   */
  static INDArray im2col(INDArray img, int[] k, int[] stride, int[] pad, int oh, int ow) {
    Strided s = Strided.of(img);
    int n = (int) img.size(0);
    int c = (int) img.size(1);
    int h = (int) img.size(2);
    int w = (int) img.size(3);
    int kk = c * k[0] * k[1];
    INDArray out = Nd4j.createUninitialized(DataType.DOUBLE, new long[] { (long) n * oh * ow, kk }, 'c');
    DoubleBuffer dst = out.data().asNioDouble();
    long[] st = s.stride();
    IntStream.range(0, n).parallel().forEach(e -> {
      int q = e * oh * ow * kk;
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          for (int ch = 0; ch < c; ch++) {
            long base = e * st[0] + ch * st[1];
            for (int di = 0; di < k[0]; di++) {
              int r = i * stride[0] + di - pad[0];
              for (int dj = 0; dj < k[1]; dj++) {
                int col = j * stride[1] + dj - pad[1];
                dst.put(q++, r >= 0 && r < h && col >= 0 && col < w ? s.data().get((int) (base + r * st[2] + col * st[3])) : 0.0);
              }
            }
          }
        }
      }
    });
    return out;
  }

  /**
   * the adjoint of {@link #im2col}: rows [N·Ho·Wo, C·kh·kw] summed back into NCHW images [N, C, H, W] ('c'), each
   * entry added to the pixel it was copied from (entries that were padding are dropped)
   */
  static INDArray col2im(INDArray rows, long[] imageShape, int[] k, int[] stride, int[] pad, int oh, int ow) {
    Strided s = Strided.of(rows);
    int n = (int) imageShape[0];
    int c = (int) imageShape[1];
    int h = (int) imageShape[2];
    int w = (int) imageShape[3];
    INDArray out = Nd4j.zeros(DataType.DOUBLE, imageShape);
    DoubleBuffer dst = out.data().asNioDouble();
    long r0 = s.stride()[0];
    long r1 = s.stride()[1];
    IntStream.range(0, n).parallel().forEach(e -> {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          long row = ((long) (e * oh + i) * ow + j) * r0;
          int kq = 0;
          for (int ch = 0; ch < c; ch++) {
            int base = (e * c + ch) * h * w;
            for (int di = 0; di < k[0]; di++) {
              int r = i * stride[0] + di - pad[0];
              for (int dj = 0; dj < k[1]; dj++, kq++) {
                int col = j * stride[1] + dj - pad[1];
                if (r >= 0 && r < h && col >= 0 && col < w) {
                  int at = base + r * w + col;
                  dst.put(at, dst.get(at) + s.data().get((int) (row + kq * r1)));
                }
              }
            }
          }
        }
      }
    });
    return out;
  }

  /** rows [N·H·W, C] (a row per pixel, example-major) as NCHW images [N, C, H, W] ('c') */
  static INDArray rowsToImages(INDArray rows, long n, long c, long h, long w) {
    Strided s = Strided.of(rows);
    INDArray out = Nd4j.createUninitialized(DataType.DOUBLE, new long[] { n, c, h, w }, 'c');
    DoubleBuffer dst = out.data().asNioDouble();
    long r0 = s.stride()[0];
    long r1 = s.stride()[1];
    int hw = (int) (h * w);
    IntStream.range(0, (int) n).parallel().forEach(e -> {
      for (int ch = 0; ch < c; ch++) {
        int q = (int) ((e * c + ch) * hw);
        for (int p = 0; p < hw; p++) dst.put(q + p, s.data().get((int) ((long) (e * hw + p) * r0 + ch * r1)));
      }
    });
    return out;
  }

  /** NCHW images [N, C, H, W] as rows [N·H·W, C] ('f': a channel's pixels are contiguous) */
  static INDArray imagesToRows(INDArray img) {
    Strided s = Strided.of(img);
    long n = img.size(0);
    long c = img.size(1);
    long h = img.size(2);
    long w = img.size(3);
    long m = n * h * w;
    INDArray out = Nd4j.createUninitialized(DataType.DOUBLE, new long[] { m, c }, 'f');
    DoubleBuffer dst = out.data().asNioDouble();
    long[] st = s.stride();
    IntStream.range(0, (int) n).parallel().forEach(e -> {
      for (int ch = 0; ch < c; ch++) {
        long q = ch * m + e * h * w;
        for (int i = 0; i < h; i++) {
          for (int j = 0; j < w; j++) dst.put((int) q++, s.data().get((int) (e * st[0] + ch * st[1] + i * st[2] + j * st[3])));
        }
      }
    });
    return out;
  }
}
