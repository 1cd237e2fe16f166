package org.trajlab.engine;

import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.trajlab.api.spec.ModelSpec;
import org.trajlab.engine.models.SeededInit;

/**
 * DL4J network configurations for a model spec. The networks carry a NoOp updater: the engine applies every update
 * itself to the flat parameter vector, so probes and optimiser variants see and can change each step.
 */
public final class Models {
  private Models() {}

  public static DataType dataType(String precision) {
    return "double".equals(precision) ? DataType.DOUBLE : DataType.FLOAT;
  }

  public static MultiLayerConfiguration mlp(ModelSpec m, DataType dt, long seed, int nIn, int nOut) {
    NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(seed).dataType(dt)
        .updater(new NoOp()).weightInit(weightInit(m.init)).list();
    int prev = nIn;
    // softmax regression is the MLP without hidden layers
    List<Integer> hidden = "softmax".equals(m.type) || m.hidden == null ? List.of() : m.hidden;
    for (int h : hidden) {
      b.layer(new DenseLayer.Builder().nIn(prev).nOut(h).activation(activation(m.activation)).build());
      prev = h;
    }
    b.layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(prev).nOut(nOut).activation(Activation.SOFTMAX).build());
    return b.build();
  }

  /** a network with DL4J's own (unseeded) initial values: for evaluation at given parameters */
  public static MultiLayerNetwork network(MultiLayerConfiguration conf) {
    MultiLayerNetwork net = new MultiLayerNetwork(conf.clone());
    net.init();
    return net;
  }

  /**
   * A network initialised from {@code seed} by our own generator ({@link SeededInit}, which every model of the zoo
   * uses). DL4J M2.1's init() gives different weights for the same configuration seed on every call, so the engine
   * draws theta_0 itself, with DL4J's formulas: weights xavier N(0, 2/(fanIn+fanOut)), relu N(0, 2/fanIn),
   * lecun_normal N(0, 1/fanIn), normal N(0, 1/sqrt(fanIn)) (standard deviation), uniform U(-1/sqrt(fanIn),
   * 1/sqrt(fanIn)), zero; biases 0. One SplittableRandom stream per layer, so a layer's values do not depend on the
   * others' sizes.
   */
  public static MultiLayerNetwork network(MultiLayerConfiguration conf, String scheme, long seed) {
    MultiLayerNetwork net = network(conf);
    SeededInit.apply(net.getLayers(), SeededInit.SCHEMES.contains(scheme) ? scheme : "xavier", seed, java.util.Map.of());
    return net;
  }

  static WeightInit weightInit(String name) {
    return switch (name) {
      case "relu" -> WeightInit.RELU;
      case "normal" -> WeightInit.NORMAL;
      case "uniform" -> WeightInit.UNIFORM;
      case "lecun_normal" -> WeightInit.LECUN_NORMAL;
      case "zero" -> WeightInit.ZERO;
      default -> WeightInit.XAVIER;
    };
  }

  static Activation activation(String name) {
    return switch (name) {
      case "tanh" -> Activation.TANH;
      case "sigmoid" -> Activation.SIGMOID;
      case "identity" -> Activation.IDENTITY;
      default -> Activation.RELU;
    };
  }
}
