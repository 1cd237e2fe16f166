package org.trajlab.engine.models;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The layer configurations the zoo's architectures are made of, each as the papers' PyTorch code has it: 3x3
 * convolutions with padding 1 (so stride 2 gives floor((H-1)/2)+1 rows, as PyTorch), 2x2 max pooling with
 * stride 2 (floor), batch normalisation with PyTorch's momentum 0.1 (DL4J decay 0.9) and eps 1e-5.
 */
final class Layers {
  /** DL4J's decay of batch normalisation's running statistics (running = decay · running + (1 − decay) · batch) */
  static final double BN_DECAY = 0.9;

  private Layers() {}

  /**
   * The network-wide settings: precision, and a NoOp updater because the engine applies every update itself to the
   * flat parameter vector. The seed is recorded but does not fix DL4J's draw; {@link SeededInit} overwrites it.
   * CacheMode.DEVICE: a convolution keeps its pre-activations from the training forward pass for its backprop
   * (with oneDNN, DL4J otherwise computes the convolution again there: SimpleCNN's SGD step at batch 128 took
   * 264–314 ms without, 233–236 ms with, medians of steps 2–21 in three alternations; of steps 41–60, 254–295 against
   * 183–206 ms); the gradients are the same to the last bit (CachedPreOutputTest). Only DL4J's
   * computeGradientAndScore fills and reads the cache.
   */
  static NeuralNetConfiguration.Builder base(DataType dt, long seed) {
    return new NeuralNetConfiguration.Builder().seed(seed).dataType(dt).updater(new NoOp()).cacheMode(CacheMode.DEVICE);
  }

  static Activation activation(String name) {
    return switch (name) {
      case "relu" -> Activation.RELU;
      case "tanh" -> Activation.TANH;
      case "sigmoid" -> Activation.SIGMOID;
      case "identity" -> Activation.IDENTITY;
      default -> throw new IllegalArgumentException("unknown activation " + name);
    };
  }

  /**
   * The activation function every layer built here takes: relu as {@link JavaRelu} (DL4J's relu whose backprop is a
   * Java loop: SimpleCNN's SGD step at batch 128, see there), any other as DL4J's. DL4J's own relu with
   * {@code -Dtrajlab.javaRelu=false} (read when a network is built).
   */
  static IActivation fn(Activation a) {
    boolean java = Boolean.parseBoolean(System.getProperty("trajlab.javaRelu", "true"));
    return a == Activation.RELU && java ? new JavaRelu() : a.getActivationFunction();
  }

  /** 3x3 convolution, padding 1; with {@code bias} false when batch normalisation follows */
  static ConvolutionLayer conv3x3(int nOut, int stride, boolean bias, Activation act) {
    return new ConvolutionLayer.Builder(3, 3).stride(stride, stride).padding(1, 1)
        .convolutionMode(ConvolutionMode.Truncate).nOut(nOut).hasBias(bias).activation(fn(act)).build();
  }

  static SubsamplingLayer maxPool2() {
    return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
        .convolutionMode(ConvolutionMode.Truncate).build();
  }

  /** every other row and column, x[:, :, ::2, ::2] (a 1x1 pooling with stride 2), for ResNet option-A shortcuts */
  static SubsamplingLayer subsample2() {
    return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(1, 1).stride(2, 2)
        .convolutionMode(ConvolutionMode.Truncate).build();
  }

  /** batch normalisation storing the running variance itself (not DL4J's default log10 of the std) */
  static BatchNormalization batchNorm() {
    return new BatchNormalization.Builder().decay(BN_DECAY).eps(1e-5).useLogStd(false).build();
  }

  static ActivationLayer act(Activation a) {
    return new ActivationLayer.Builder().activation(fn(a)).build();
  }

  static DenseLayer dense(int nIn, int nOut, boolean bias, Activation act) {
    DenseLayer.Builder b = new DenseLayer.Builder().nOut(nOut).hasBias(bias).activation(fn(act));
    if (nIn > 0) b.nIn(nIn);
    return b.build();
  }

  /** the softmax output with mean cross-entropy; {@code nIn} 0 = inferred from the input type */
  static OutputLayer softmaxOut(int nIn, int classes) {
    OutputLayer.Builder b = new OutputLayer.Builder(LossFunction.MCXENT).nOut(classes).activation(Activation.SOFTMAX);
    if (nIn > 0) b.nIn(nIn);
    return b.build();
  }
}
