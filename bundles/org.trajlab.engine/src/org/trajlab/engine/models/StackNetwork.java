package org.trajlab.engine.models;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link Network} over a DL4J MultiLayerNetwork: a plain stack of layers (softmax, MLPs, SimpleCNN, VGG). A plain
 * dense stack runs its gradients and outputs on {@link DenseStack} (DL4J's operations, without its per-layer
 * machinery; the same numbers).
 */
final class StackNetwork extends Dl4jNetwork {
  private final MultiLayerNetwork net;
  /** the fast path of a plain dense stack, or null: DL4J's own passes */
  private final DenseStack dense;
  /** the training gradient and outputs of a FLOAT stack of convolutions and poolings on oneDNN, or null: DL4J's */
  private final OneDnnConvStack convolutions;

  StackNetwork(MultiLayerNetwork net, InputShape inputShape, int numClasses, String description) {
    super(net, net.getLayers(), inputShape, numClasses, description);
    this.net = net;
    this.dense = DenseStack.enabled() ? DenseStack.of(net, inputShape) : null;
    this.convolutions = dense == null && OneDnnConvStack.enabled() ? OneDnnConvStack.of(net, inputShape) : null;
  }

  /** the network's dense stack, or null (DL4J's passes) */
  DenseStack denseStack() {
    return dense;
  }

  @Override
  public double meanGradient(INDArray features, INDArray labels, INDArray gOut, boolean updateStatistics) {
    if (dense != null) return dense.meanGradient(features, labels, gOut);
    if (convolutions != null && convolutions.takes(features.size(0), gOut)) {
      return convolutions.meanGradient(features, labels, gOut, updateStatistics);
    }
    return super.meanGradient(features, labels, gOut, updateStatistics);
  }

  @Override
  void computeGradientAndScore(INDArray input, INDArray labels) {
    net.setInput(input);
    net.setLabels(labels);
    net.computeGradientAndScore();
  }

  @Override
  INDArray forward(INDArray input, boolean train) {
    if (dense != null) return dense.output(input).dup();
    if (convolutions != null && convolutions.infers(input.size(0))) return convolutions.output(input, train);
    return net.output(input, train);
  }

  @Override
  Dl4jNetwork duplicate() {
    return new StackNetwork(net.clone(), inputShape(), numClasses(), describe());
  }
}
