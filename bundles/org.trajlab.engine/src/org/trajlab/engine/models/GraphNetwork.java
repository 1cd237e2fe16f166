package org.trajlab.engine.models;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A {@link Network} over a DL4J ComputationGraph with one input and one softmax output (the ResNets). */
final class GraphNetwork extends Dl4jNetwork {
  private final ComputationGraph graph;

  GraphNetwork(ComputationGraph graph, InputShape inputShape, int numClasses, String description) {
    super(graph, graph.getLayers(), inputShape, numClasses, description);
    this.graph = graph;
  }

  @Override
  void computeGradientAndScore(INDArray input, INDArray labels) {
    graph.setInputs(input);
    graph.setLabels(labels);
    graph.computeGradientAndScore();
  }

  @Override
  INDArray forward(INDArray input, boolean train) {
    return graph.outputSingle(train, input);
  }

  @Override
  Dl4jNetwork duplicate() {
    return new GraphNetwork(graph.clone(), inputShape(), numClasses(), describe());
  }
}
