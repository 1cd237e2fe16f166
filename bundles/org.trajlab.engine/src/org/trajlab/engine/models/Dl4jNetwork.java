package org.trajlab.engine.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What a MultiLayerNetwork and a ComputationGraph share behind {@link Network}: the flat parameters, the mean
 * gradient, the running statistics of batch normalisation. Subclasses say how to feed the network and read its
 * output.
 */
abstract class Dl4jNetwork implements Network {
  private final Model model;
  private final InputShape inputShape;
  private final int numClasses;
  private final String description;
  /** [from, to) ranges of params() that hold batch-norm running statistics, with their parameter views */
  private final List<Statistic> statistics;
  private INDArray trainableMask;

  /** one running-statistics vector of a batch normalisation layer: its view and its place in the flat vector */
  record Statistic(INDArray view, long from, long to, double decay) {}

  Dl4jNetwork(Model model, Layer[] layers, InputShape inputShape, int numClasses, String description) {
    this.model = model;
    this.inputShape = inputShape;
    this.numClasses = numClasses;
    this.description = description;
    this.statistics = statistics(model.params(), layers);
  }

  /** set input and labels and compute DL4J's summed gradient and mean score */
  abstract void computeGradientAndScore(INDArray input, INDArray labels);

  /** the network's output for an input in the model's shape */
  abstract INDArray forward(INDArray input, boolean train);

  /** the same structure with a copy of the parameters */
  abstract Dl4jNetwork duplicate();

  @Override
  public long numParams() {
    return model.numParams();
  }

  @Override
  public INDArray params() {
    return model.params();
  }

  @Override
  public Map<String, INDArray> paramTable() {
    return model.paramTable();
  }

  @Override
  public DataType dataType() {
    return model.params().dataType();
  }

  @Override
  public InputShape inputShape() {
    return inputShape;
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  @Override
  public boolean hasBatchNorm() {
    return !statistics.isEmpty();
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public Network copy() {
    return duplicate();
  }

  @Override
  public double meanGradient(INDArray features, INDArray labels, INDArray gOut, boolean updateStatistics) {
    if (gOut.length() != numParams()) {
      throw new IllegalArgumentException("the gradient buffer has " + gOut.length() + " entries, the model " + numParams());
    }
    long n = features.size(0);
    computeGradientAndScore(inputShape.toInput(features), labels);
    INDArray sum = model.gradient().gradient();
    gOut.assign(sum.reshape(gOut.shape())).divi(n);
    if (!statistics.isEmpty()) {
      gOut.muli(trainableMask().reshape(gOut.shape()));
      if (updateStatistics) updateStatistics(sum.reshape(sum.length()));
    }
    return model.score();
  }

  /**
   * DL4J's "gradient" of a running statistic is the step (running - batch)·(1 - decay) that its updater subtracts
   * (it is not divided by the batch size); the engine applies it here because its own update skips statistics.
   */
  private void updateStatistics(INDArray dl4jGradient) {
    for (Statistic s : statistics) {
      INDArray step = dl4jGradient.get(NDArrayIndex.interval(s.from(), s.to()));
      s.view().subi(step.reshape(s.view().shape()));
    }
  }

  /**
   * DL4J's "gradient" of a running statistic r is the step (r − b)·(1 − decay) towards the batch's value b (see
   * {@link #updateStatistics}), so b = r − step / (1 − decay).
   */
  @Override
  public double[] batchStatistics(INDArray features, INDArray labels) {
    if (statistics.isEmpty()) return Network.super.batchStatistics(features, labels);
    computeGradientAndScore(inputShape.toInput(features), labels);
    INDArray sum = model.gradient().gradient();
    INDArray flat = sum.reshape(sum.length());
    double[] out = new double[Math.toIntExact(numParams())];
    java.util.Arrays.fill(out, Double.NaN);
    for (Statistic s : statistics) {
      double[] step = flat.get(NDArrayIndex.interval(s.from(), s.to())).castTo(DataType.DOUBLE).data().asDouble();
      double[] running = s.view().castTo(DataType.DOUBLE).data().asDouble();
      for (int i = 0; i < step.length; i++) out[(int) s.from() + i] = running[i] - step[i] / (1 - s.decay());
    }
    return out;
  }

  @Override
  public INDArray output(INDArray features, boolean train) {
    return forward(inputShape.toInput(features), train);
  }

  @Override
  public synchronized INDArray trainableMask() {
    if (trainableMask == null) {
      INDArray m = Nd4j.ones(dataType(), 1, numParams());
      for (Statistic s : statistics) {
        m.get(NDArrayIndex.point(0), NDArrayIndex.interval(s.from(), s.to())).assign(0);
      }
      trainableMask = m;
    }
    return trainableMask;
  }

  Model model() {
    return model;
  }

  /**
   * The running mean and variance vectors of every batch normalisation layer and where each sits in the flat
   * parameter vector. The place is the view's offset in the shared buffer, confirmed by writing a marker through
   * the view and reading it back from the flat vector, so a layout change in DL4J fails here, not silently later.
   */
  static List<Statistic> statistics(INDArray params, Layer[] layers) {
    List<Statistic> out = new ArrayList<>();
    for (Layer l : layers) {
      if (!(l.conf().getLayer() instanceof BatchNormalization)) continue;
      for (String key : List.of(BatchNormalizationParamInitializer.GLOBAL_MEAN, BatchNormalizationParamInitializer.GLOBAL_VAR,
          BatchNormalizationParamInitializer.GLOBAL_LOG_STD)) {
        INDArray v = l.paramTable().get(key);
        if (v == null) continue;
        long from = v.offset() - params.offset();
        Statistic s = new Statistic(v, from, from + v.length(), ((BatchNormalization) l.conf().getLayer()).getDecay());
        confirmPlace(params, s);
        out.add(s);
      }
    }
    return List.copyOf(out);
  }

  private static void confirmPlace(INDArray params, Statistic s) {
    INDArray v = s.view();
    INDArray saved = v.dup();
    double[] marker = new double[(int) v.length()];
    for (int i = 0; i < marker.length; i++) marker[i] = 1e6 + i;
    try {
      v.assign(Nd4j.createFromArray(marker).castTo(v.dataType()).reshape(v.shape()));
      for (int i = 0; i < marker.length; i++) {
        if (params.getDouble(s.from() + i) != marker[i]) {
          throw new IllegalStateException("a batch-norm statistic is not where its view's offset says in the flat parameters");
        }
      }
    } finally {
      v.assign(saved);
    }
  }
}
