package org.trajlab.engine.models;

import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

/** The zoo's plain stacks of layers (DL4J MultiLayerNetwork configurations). */
final class Stacks {
  /** VGG-11's convolution widths; 0 marks a 2x2 max pooling */
  static final int[] VGG11 = { 64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0 };
  /** SimpleCNN (001 App. F, 004 App. D, the peer's common.py): convolution widths, 0 = pooling, then dense 128 */
  static final int[] SIMPLE_CNN = { 32, 32, 0, 64, 64, 0 };
  static final int SIMPLE_CNN_DENSE = 128;

  private Stacks() {}

  /** linear softmax regression: one output layer, W [features, classes] then b */
  static MultiLayerConfiguration softmax(DataType dt, long seed, int features, int classes) {
    return Layers.base(dt, seed).list().layer(Layers.softmaxOut(features, classes)).build();
  }

  /**
   * Dense layers of widths {@code hidden} with {@code act}, then softmax. Without batch normalisation the layers are
   * exactly the walking skeleton's MLP (same parameter layout and seeded values); with it each hidden layer is
   * dense (no bias) - batch norm - activation.
   */
  static MultiLayerConfiguration mlp(DataType dt, long seed, int features, List<Integer> hidden, Activation act,
      boolean batchNorm, int classes) {
    ListBuilder b = Layers.base(dt, seed).list();
    int prev = features;
    for (int h : hidden) {
      if (batchNorm) {
        b.layer(Layers.dense(prev, h, false, Activation.IDENTITY)).layer(Layers.batchNorm()).layer(Layers.act(act));
      } else {
        b.layer(Layers.dense(prev, h, true, act));
      }
      prev = h;
    }
    return b.layer(Layers.softmaxOut(prev, classes)).build();
  }

  /**
   * The text classifier: word ids [N, length] -> embedding [N, embedding, length] -> LSTM of {@code units} tanh
   * units -> its last time step -> dense softmax. Padding is at the front, so the last step has read the whole text.
   */
  static MultiLayerConfiguration lstm(DataType dt, long seed, int vocab, int length, int embedding, int units,
      int classes) {
    return Layers.base(dt, seed).list()
        .layer(new org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer.Builder().nIn(vocab).nOut(embedding)
            .inputLength(length).build())
        .layer(new org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep(new org.deeplearning4j.nn.conf.layers.LSTM.Builder()
            .nIn(embedding).nOut(units).activation(Activation.TANH).build()))
        .layer(Layers.softmaxOut(units, classes)).build();
  }

  /** SimpleCNN: conv32-conv32-pool-conv64-conv64-pool-dense128-softmax; batch norm after every conv and the dense */
  static MultiLayerConfiguration simpleCnn(DataType dt, long seed, InputShape in, Activation act, boolean batchNorm,
      int classes) {
    ListBuilder b = Layers.base(dt, seed).list();
    convolutions(b, SIMPLE_CNN, act, batchNorm);
    if (batchNorm) {
      b.layer(Layers.dense(0, SIMPLE_CNN_DENSE, false, Activation.IDENTITY)).layer(Layers.batchNorm()).layer(Layers.act(act));
    } else {
      b.layer(Layers.dense(0, SIMPLE_CNN_DENSE, true, act));
    }
    b.layer(Layers.softmaxOut(0, classes));
    return b.setInputType(InputType.convolutional(in.height(), in.width(), in.channels())).build();
  }

  /** CIFAR VGG-11: eight 3x3 convolutions with five poolings, then one dense softmax layer (512 to classes) */
  static MultiLayerConfiguration vgg11(DataType dt, long seed, InputShape in, Activation act, boolean batchNorm,
      int classes) {
    ListBuilder b = Layers.base(dt, seed).list();
    convolutions(b, VGG11, act, batchNorm);
    b.layer(Layers.softmaxOut(0, classes));
    return b.setInputType(InputType.convolutional(in.height(), in.width(), in.channels())).build();
  }

  /** the convolution part: a width is conv3x3 (+ batch norm) + activation, 0 a 2x2 max pooling */
  private static void convolutions(ListBuilder b, int[] widths, Activation act, boolean batchNorm) {
    for (int w : widths) {
      if (w == 0) {
        b.layer(Layers.maxPool2());
      } else if (batchNorm) {
        b.layer(Layers.conv3x3(w, 1, false, Activation.IDENTITY)).layer(Layers.batchNorm()).layer(Layers.act(act));
      } else {
        b.layer(Layers.conv3x3(w, 1, true, act));
      }
    }
  }
}
