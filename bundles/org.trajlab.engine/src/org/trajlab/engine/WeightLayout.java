package org.trajlab.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.trajlab.api.objective.ParameterBlock;
import org.trajlab.api.objective.WeightMatrix;
import org.trajlab.engine.models.Network;

/**
 * Where a network's weight matrices sit in its flat parameter vector, read from DL4J's parameter views (their
 * offsets in the shared buffer and their orderings), so no layout is assumed: dense kernels [nIn, nOut] in 'f'
 * order, convolution kernels [out, in, kh, kw] in 'c' order seen as [in·kh·kw, out], and 'c'-ordered 2-d kernels
 * (embeddings, recurrent weights) transposed. Biases and batch-norm parameters are not weight matrices; every
 * parameter, whatever its kind, is a {@link ParameterBlock}.
 */
final class WeightLayout {
  private WeightLayout() {}

  static List<WeightMatrix> of(Network net) {
    List<WeightMatrix> out = new ArrayList<>();
    long base = net.params().offset();
    for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
      String name = e.getKey();
      INDArray w = e.getValue();
      if (!(name.equals("W") || name.endsWith("_W"))) continue;
      long offset = w.offset() - base;
      if (w.rank() == 2 && w.ordering() == 'f') {
        out.add(new WeightMatrix(name, offset, (int) w.size(0), (int) w.size(1)));
      } else if (w.rank() == 4 && w.ordering() == 'c') {
        out.add(new WeightMatrix(name, offset, (int) (w.length() / w.size(0)), (int) w.size(0)));
      } else if (w.rank() == 2 && w.ordering() == 'c') {
        out.add(new WeightMatrix(name, offset, (int) w.size(1), (int) w.size(0)));
      }
    }
    return out;
  }

  /** every parameter view of the network as a named block of the flat vector, ordered by offset */
  static List<ParameterBlock> blocks(Network net) {
    List<ParameterBlock> out = new ArrayList<>();
    long base = net.params().offset();
    for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
      out.add(new ParameterBlock(e.getKey(), e.getValue().offset() - base, (int) e.getValue().length()));
    }
    out.sort(java.util.Comparator.comparingLong(ParameterBlock::offset));
    return out;
  }
}
