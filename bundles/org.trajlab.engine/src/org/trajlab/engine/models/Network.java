package org.trajlab.engine.models;

import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A DL4J network (a MultiLayerNetwork or a ComputationGraph) seen the way the engine uses it: a softmax classifier
 * that is a function of one flat parameter vector. The trainer and the objective need nothing else, so every model
 * of the zoo trains and is probed the same way.
 * <p>
 * <b>Parameters.</b> {@link #params()} is DL4J's flat parameter view: writing it changes the network. It also holds
 * the running mean and variance of batch normalisation layers, which are statistics, not parameters of the loss:
 * their entries of every gradient are 0 (so an SGD step leaves them alone) and they change only through
 * {@link #meanGradient(INDArray, INDArray, INDArray, boolean)} with {@code updateStatistics}. {@link #trainableMask()}
 * marks the entries that are parameters.
 * <p>
 * <b>Inputs.</b> Features may be given as flat rows [N, C·H·W] (channel-major pixels, as the data layer produces
 * them) or already in the model's input shape; {@link #inputShape()} says how rows become input.
 * <p>
 * Not thread-safe: like the DL4J network it wraps, one thread at a time.
 */
public interface Network {

  /** number of entries of {@link #params()}, statistics included */
  long numParams();

  /** the flat parameter view [1, P]; writing it changes the network */
  INDArray params();

  /** DL4J's parameter views per layer ("0_W", "stage1_block0_conv2_W", "3_gamma", ...), for per-layer probes */
  Map<String, INDArray> paramTable();

  /** FLOAT or DOUBLE: the precision of parameters, activations and gradients */
  DataType dataType();

  /** how a batch of flat rows becomes this model's input */
  InputShape inputShape();

  /** number of classes of the softmax output */
  int numClasses();

  /**
   * The gradient of the MEAN cross-entropy over the batch at the current parameters, into {@code gOut} (shaped like
   * {@link #params()} or a vector of {@link #numParams()} entries); returns the batch's mean loss. DL4J returns the
   * SUM over the batch; this divides by the batch size. Batch normalisation uses the batch's statistics (train mode)
   * and the statistics' entries of {@code gOut} are 0. The parameters are not changed.
   */
  default double meanGradient(INDArray features, INDArray labels, INDArray gOut) {
    return meanGradient(features, labels, gOut, false);
  }

  /**
   * As {@link #meanGradient(INDArray, INDArray, INDArray)}; with {@code updateStatistics} the running mean and
   * variance of every batch normalisation layer also move towards this batch's (DL4J's decay 0.9: running = 0.9 ·
   * running + 0.1 · batch, the population variance), which the trainer asks for once per training step.
   */
  double meanGradient(INDArray features, INDArray labels, INDArray gOut, boolean updateStatistics);

  /**
   * Softmax probabilities [N, K]. {@code train} = true normalises with the batch's own statistics (as the gradient
   * does), false with the running statistics (inference). Without batch normalisation both are the same.
   */
  INDArray output(INDArray features, boolean train);

  /**
   * The batch's summed loss and the number of its examples classified right (the arg-max of the inference-mode
   * output is the label; running statistics of batch normalisation), at the current parameters: {sum of losses, hits}. A model without classes (the quadratic)
   * gives NaN hits.
   */
  default double[] lossAndHits(INDArray features, int[] labels) {
    return lossAndHits(features, labels, false);
  }

  /**
   * As {@link #lossAndHits(INDArray, int[])}, with batch normalisation in train mode (the batch's own statistics,
   * for loss and arg-max alike) when {@code train} is true. The parameters and running statistics are not changed.
   */
  default double[] lossAndHits(INDArray features, int[] labels, boolean train) {
    INDArray out = output(features, train);
    double[] p = FlatArrays.values(out);
    if (out.closeable()) out.close();
    int k = numClasses();
    double lossSum = 0;
    int hits = 0;
    for (int i = 0; i < labels.length; i++) {
      int base = i * k;
      lossSum -= Math.log(p[base + labels[i]]);
      int arg = 0;
      for (int j = 1; j < k; j++) {
        if (p[base + j] > p[base + arg]) arg = j;
      }
      if (arg == labels[i]) hits++;
    }
    return new double[] { lossSum, hits };
  }

  /**
   * The loss of each example of the batch at the current parameters, in DOUBLE (batch normalisation with the batch's
   * own statistics when {@code train}): the cross-entropy of the softmax output, or the model's own per-example loss
   * (the quadratic's ½(θ − x)ᵀA(θ − x)).
   */
  default double[] exampleLosses(INDArray features, int[] labels, boolean train) {
    INDArray out = output(features, train);
    double[] p = FlatArrays.values(out);
    if (out.closeable()) out.close();
    int k = numClasses();
    double[] losses = new double[labels.length];
    for (int i = 0; i < labels.length; i++) losses[i] = -Math.log(p[i * k + labels[i]]);
    return losses;
  }

  /**
   * The values this batch gives every batch-norm running statistic in a train-mode forward pass at the current
   * parameters (each layer's batch mean and population variance, the inputs normalised with their own batch's
   * statistics), in the flat layout: a vector of {@link #numParams()} entries, NaN where {@link #trainableMask()} is 1.
   * Nothing is changed. Only for models with batch normalisation.
   */
  default double[] batchStatistics(INDArray features, INDArray labels) {
    throw new UnsupportedOperationException("this model has no batch normalisation");
  }

  /** whether any layer is a batch normalisation layer (then train- and inference-mode outputs differ) */
  boolean hasBatchNorm();

  /** 1 for the entries of {@link #params()} that are parameters of the loss, 0 for batch-norm running statistics */
  INDArray trainableMask();

  /** a network of the same structure with its own copy of the current parameters (and running statistics) */
  Network copy();

  /** one line for logs: the architecture and its size */
  String describe();
}
