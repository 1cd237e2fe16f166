package org.trajlab.api.objective;

/**
 * Where one weight matrix of the model sits in the flat parameter vector: {@code rows x cols} entries stored
 * column-major from {@code offset} (entry (r, c) at {@code offset + r + c * rows}). Dense layers are [nIn x nOut];
 * convolution kernels [out, in, kh, kw] are seen as the matrix [in·kh·kw x out]. Biases, batch-norm parameters and
 * statistics are not weight matrices. Probes use this for per-layer quantities such as the spectral norm ρ(W).
 *
 * @param name the layer's parameter name, e.g. {@code 0_W} or {@code stage1_block0_conv2_W}
 */
public record WeightMatrix(String name, long offset, int rows, int cols) {

  /** entry (r, c) of this matrix inside {@code theta} */
  public double get(double[] theta, int r, int c) {
    return theta[(int) (offset + r + (long) c * rows)];
  }
}
