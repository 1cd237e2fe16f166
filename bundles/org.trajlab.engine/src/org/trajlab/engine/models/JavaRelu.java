package org.trajlab.engine.models;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's relu, max(x, 0), whose backprop (x > 0 ? ε : 0) runs as one Java loop over the buffers
 * ({@link RowOps#reluBackprop(INDArray, INDArray, INDArray)}) where the pre-activations and the errors are whole
 * buffers of one type, shape and strides, and as DL4J's otherwise. DL4J's backprop ({@code relu_bp}) calls a C++
 * {@code std::function} per entry: on SimpleCNN's SGD step at batch 128 (12.6 million entries through its four
 * convolutions) it held a tenth of a profile's samples. The result is DL4J's bit for bit (a selection, no arithmetic:
 * {@code RowOpsTest}, {@code JavaReluTest}); equal to {@link ActivationReLU} as a configuration (the same class for
 * every {@code instanceof}, the same fields), so the probes' checks for a plain relu hold.
 */
public class JavaRelu extends ActivationReLU {
  private static final long serialVersionUID = 1L;

  @Override
  public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
    if (!sameLayout(in, epsilon)) return super.backprop(in, epsilon);
    INDArray out = in.ulike();
    if (!sameLayout(in, out)) return super.backprop(in, epsilon);
    RowOps.reluBackprop(in, epsilon, out);
    return new Pair<>(out, null);
  }

  /**
   * whether both arrays are whole buffers of one type, shape and strides, so that the entries of one buffer are
   * those of the other in turn (the same order is not enough: a permuted array keeps its order's name)
   */
  private static boolean sameLayout(INDArray a, INDArray b) {
    return RowOps.wholeBuffersOfAnyLength(a, b) && java.util.Arrays.equals(a.stride(), b.stride())
        && java.util.Arrays.equals(a.shape(), b.shape());
  }
}
