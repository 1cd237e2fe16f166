package org.trajlab.engine;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The two halves of a plain SGD update on DL4J's flat parameter view, shared by the trainer and the benchmark. */
public final class Sgd {
  private Sgd() {}

  /**
   * The MEAN mini-batch gradient at the network's parameters into {@code g} (shaped like {@code net.params()}):
   * DL4J returns the SUM over the batch, so it is divided by the batch size. Returns the batch's mean loss.
   */
  public static double gradient(MultiLayerNetwork net, INDArray x, INDArray y, INDArray g) {
    net.setInput(x);
    net.setLabels(y);
    net.computeGradientAndScore();
    g.assign(net.gradient().gradient().reshape(g.shape())).divi(x.size(0));
    return net.score();
  }

  /** theta &lt;- theta - lr * g, in place on the network's parameters */
  public static void update(INDArray params, INDArray g, double lr) {
    params.subi(g.mul(lr));
  }
}
