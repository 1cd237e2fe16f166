package org.trajlab.engine.models;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A {@link Network} over a DL4J MultiLayerNetwork: a plain stack of layers (softmax, MLPs, SimpleCNN, VGG). */
final class StackNetwork extends Dl4jNetwork {
  private final MultiLayerNetwork net;

  StackNetwork(MultiLayerNetwork net, InputShape inputShape, int numClasses, String description) {
    super(net, net.getLayers(), inputShape, numClasses, description);
    this.net = net;
  }

  @Override
  void computeGradientAndScore(INDArray input, INDArray labels) {
    net.setInput(input);
    net.setLabels(labels);
    net.computeGradientAndScore();
  }

  @Override
  INDArray forward(INDArray input, boolean train) {
    return net.output(input, train);
  }

  @Override
  Dl4jNetwork duplicate() {
    return new StackNetwork(net.clone(), inputShape(), numClasses(), describe());
  }
}
