package org.trajlab.engine.models;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The CIFAR ResNets of He et al. (2016, §4.2) as DL4J ComputationGraphs: depth 6n+2 = a 3x3 convolution with 16
 * filters, three stages of n basic blocks with 16, 32 and 64 filters (the first block of stages 2 and 3 has stride
 * 2), global average pooling and a dense softmax layer.
 * <p>
 * A basic block is conv3x3 - BN - ReLU - conv3x3 - BN, added to the shortcut, then ReLU. Shortcuts are <b>option A</b>,
 * as He et al. use on CIFAR: the identity, and where a stage halves the image and doubles the filters, the input
 * subsampled (x[:, :, ::2, ::2]) with as many zero channels appended; so shortcuts have no parameters and the
 * parameter counts are the paper's (ResNet-32 0.46M, ResNet-56 0.85M).
 * <p>
 * Without batch normalisation (paper 001, footnote 7) the convolutions have biases and the network is initialised
 * scaled by depth after Taki (2017), whose Var[w] = c/(n·L) for L residual blocks keeps the variance of the sum of L
 * branches bounded: the weights of the LAST convolution of every residual branch (the branch end, named in
 * {@link Graph#branchEnds()}) are multiplied by 1/sqrt(L), L = 3n (15 for ResNet-32, 27 for ResNet-56), so that
 * with the relu scheme their variance is 2/(fan_in·L). The other layers keep the scheme's values.
 */
final class ResNets {
  static final int[] STAGE_FILTERS = { 16, 32, 64 };

  private ResNets() {}

  /** a configuration and the names of its branch-end convolutions */
  record Graph(ComputationGraphConfiguration conf, List<String> branchEnds, int blocks) {}

  /** blocks per stage of a depth-(6n+2) ResNet */
  static int blocksPerStage(int depth) {
    if (depth < 8 || (depth - 2) % 6 != 0) throw new IllegalArgumentException("ResNet depth must be 6n+2, not " + depth);
    return (depth - 2) / 6;
  }

  /** the factor of the branch-end weights without batch normalisation: 1/sqrt(number of residual blocks) */
  static double branchEndScale(int depth) {
    return 1.0 / Math.sqrt(3.0 * blocksPerStage(depth));
  }

  static Graph cifar(DataType dt, long seed, InputShape in, int depth, boolean batchNorm, int classes) {
    int n = blocksPerStage(depth);
    GraphBuilder g = Layers.base(dt, seed).graphBuilder().addInputs("in")
        .setInputTypes(InputType.convolutional(in.height(), in.width(), in.channels()));
    String x = convUnit(g, "stem", "in", STAGE_FILTERS[0], 1, batchNorm, true);
    List<String> branchEnds = new ArrayList<>();
    for (int s = 0; s < STAGE_FILTERS.length; s++) {
      for (int b = 0; b < n; b++) {
        boolean down = s > 0 && b == 0;
        String p = "s" + (s + 1) + "b" + (b + 1);
        x = block(g, p, x, STAGE_FILTERS[s], down, batchNorm);
        branchEnds.add(p + "_conv2");
      }
    }
    g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x);
    g.addLayer("out", Layers.softmaxOut(0, classes), "pool");
    g.setOutputs("out");
    return new Graph(g.build(), List.copyOf(branchEnds), 3 * n);
  }

  /** one basic block; returns the name of its output vertex */
  private static String block(GraphBuilder g, String p, String x, int filters, boolean down, boolean batchNorm) {
    String a = convUnit(g, p + "_conv1", x, filters, down ? 2 : 1, batchNorm, true);
    String branch = convUnit(g, p + "_conv2", a, filters, 1, batchNorm, false);
    String shortcut = down ? optionA(g, p, x) : x;
    g.addVertex(p + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), branch, shortcut);
    g.addLayer(p + "_relu", Layers.act(Activation.RELU), p + "_add");
    return p + "_relu";
  }

  /**
   * conv3x3 named {@code name} (+ batch norm {@code name_bn}) (+ ReLU); returns the last vertex. Without batch norm
   * the ReLU is the convolution's own activation.
   */
  private static String convUnit(GraphBuilder g, String name, String in, int filters, int stride, boolean batchNorm,
      boolean relu) {
    Activation act = relu && !batchNorm ? Activation.RELU : Activation.IDENTITY;
    g.addLayer(name, Layers.conv3x3(filters, stride, !batchNorm, act), in);
    if (!batchNorm) return name;
    g.addLayer(name + "_bn", Layers.batchNorm(), name);
    if (!relu) return name + "_bn";
    g.addLayer(name + "_relu", Layers.act(Activation.RELU), name + "_bn");
    return name + "_relu";
  }

  /** option A: x subsampled by 2, then as many zero channels appended (the filters double) */
  private static String optionA(GraphBuilder g, String p, String x) {
    g.addLayer(p + "_sub", Layers.subsample2(), x);
    g.addVertex(p + "_zeros", new ScaleVertex(0.0), p + "_sub");
    g.addVertex(p + "_pad", new MergeVertex(), p + "_sub", p + "_zeros");
    return p + "_pad";
  }
}
