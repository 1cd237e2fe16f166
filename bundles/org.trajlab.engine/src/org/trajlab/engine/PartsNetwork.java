package org.trajlab.engine;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.api.objective.Evaluation;
import org.trajlab.engine.models.DenseStack;
import org.trajlab.engine.models.FlatArrays;
import org.trajlab.engine.models.Network;

/**
 * An objective's own network (never the one being trained) set to a point θ and run over the parts of a view:
 * mean loss and accuracy, mean gradient. Means are over examples, each part weighted by its size, so a view cut
 * into parts gives the mean over all of them. Not thread-safe: the objective synchronises.
 */
final class PartsNetwork {
  private final Network net;
  private final DataType dt;
  private final int numParams;
  /** the array last given to {@link #setParams} (its values may have changed since: only for {@link #ensureParams}) */
  private double[] current;
  private INDArray partGradient;
  /** a part's gradient in double, kept */
  private double[] partValues;

  PartsNetwork(Network net) {
    this.net = net;
    this.dt = net.dataType();
    this.numParams = Math.toIntExact(net.numParams());
  }

  Network network() {
    return net;
  }

  DataType dataType() {
    return dt;
  }

  int numParams() {
    return numParams;
  }

  /** sets θ unless the last θ set was this very array (for loops that set the same point again and again) */
  void ensureParams(double[] theta) {
    if (theta != current) setParams(theta);
  }

  void setParams(double[] theta) {
    if (theta.length != numParams) {
      throw new IllegalArgumentException("theta has " + theta.length + " entries, the model " + numParams);
    }
    FlatArrays.write(net.params(), theta, 0);
    current = theta;
  }

  /** mean loss and accuracy over the parts at θ; batch normalisation with each part's statistics when trainMode */
  Evaluation evaluate(ExampleView.Parts c, boolean trainMode, double[] theta) {
    setParams(theta);
    double lossSum = 0;
    double correct = 0;
    for (int part = 0; part < c.count(); part++) {
      double[] lh = net.lossAndHits(c.x()[part], c.labels()[part], trainMode);
      lossSum += lh[0];
      correct += lh[1];
    }
    return new Evaluation(lossSum / c.examples(), correct / c.examples(), c.examples());
  }

  /**
   * The mean losses over the parts at θ^α = (1 − α)θ_0 + αθ_1 for each α, as {@link #evaluate} gives them, with the
   * first layer's pre-activations blended from the two ends' ({@link DenseStack#outputBlended}): the later layers at
   * θ^α formed as {@link #evaluate} forms them, each example's loss −log p_y in double summed in the same order.
   */
  double[] lossesAlong(ExampleView.Parts c, DenseStack dense, double[] theta0, double[] theta1, double[] alphas) {
    // the first layer's parameters enter only through the blended z: θ^α is formed and set from the second on
    int first = Math.toIntExact(firstLayerLength(dense));
    INDArray[] z0 = keptFor(c, theta0, first);
    if (z0 == null) z0 = firstPreActivations(c, dense, theta0, takeSpare());
    INDArray[] z1 = firstPreActivations(c, dense, theta1, takeSpare());
    boolean done = false;
    try {
      double[] point = new double[numParams];
      double[] out = new double[alphas.length];
      for (int k = 0; k < alphas.length; k++) {
        double alpha = alphas[k];
        for (int i = first; i < numParams; i++) point[i] = (1 - alpha) * theta0[i] + alpha * theta1[i];
        setParamsFrom(point, first);
        double lossSum = 0;
        for (int part = 0; part < c.count(); part++) {
          lossSum += DenseStack.summedLoss(dense.outputBlended(z0[part], z1[part], alpha), c.labels()[part]);
        }
        out[k] = lossSum / c.examples();
      }
      done = true;
      return out;
    } finally {
      current = null; // the parameters are a mix of θ_1's first layer and the last θ^α's others
      keepSpare(z0);
      if (done && first > 0) {
        keptParts = c;
        keptFirstLayer = java.util.Arrays.copyOf(theta1, first);
        keptZ = z1;
      } else {
        NdArrays.free(z1);
      }
    }
  }

  /**
   * The first layer's pre-activations at the end θ_1 of the last line, kept: a run's walks share their ends (the walk
   * of update t ends at θ_{t+1}, where the next one starts), so the next line's z_0 is not formed again. Kept with the
   * parts and the first layer's parameters they were formed from, compared entry by entry.
   */
  private ExampleView.Parts keptParts;
  private double[] keptFirstLayer;
  private INDArray[] keptZ;

  /**
   * The kept pre-activations when they are those of these parts at θ's first layer (the first {@code first} entries),
   * handed over to the caller (who frees them); else null, and the kept ones are freed.
   */
  private INDArray[] keptFor(ExampleView.Parts c, double[] theta, int first) {
    INDArray[] z = keptZ;
    boolean same = z != null && keptParts == c && first > 0 && keptFirstLayer.length == first
        && java.util.Arrays.equals(theta, 0, first, keptFirstLayer, 0, first);
    keptZ = null;
    keptParts = null;
    keptFirstLayer = null;
    if (same) return z;
    if (z != null) keepSpare(z); // not this line's: its arrays are written again
    return null;
  }

  /**
   * The first layer's pre-activations of each part at θ, into the arrays of {@code into} where they fit (the spare
   * arrays of an earlier line: a walk's arrays are as large as the view's parts, and allocating them was 8% of the
   * walk's profile samples), else new ones; the arrays of {@code into} not used are freed.
   */
  private INDArray[] firstPreActivations(ExampleView.Parts c, DenseStack dense, double[] theta, INDArray[] into) {
    setParams(theta);
    INDArray[] z = new INDArray[c.count()];
    for (int part = 0; part < c.count(); part++) {
      INDArray spare = into != null && part < into.length ? into[part] : null;
      z[part] = dense.firstPreActivations(c.x()[part], spare);
      if (spare != null && z[part] != spare) NdArrays.free(spare);
    }
    if (into != null) {
      for (int part = c.count(); part < into.length; part++) NdArrays.free(into[part]);
    }
    return z;
  }

  /**
   * arrays of earlier lines no longer needed, kept to be written again (see {@link #firstPreActivations}): at most two
   * sets, the two ends of a line that shares neither end with the line before
   */
  private final java.util.ArrayDeque<INDArray[]> spareZ = new java.util.ArrayDeque<>(2);

  private INDArray[] takeSpare() {
    return spareZ.pollFirst();
  }

  private void keepSpare(INDArray[] z) {
    if (spareZ.size() == 2) NdArrays.free(spareZ.pollLast());
    spareZ.addFirst(z);
  }

  /** how many leading entries of the flat parameters are the dense stack's first layer (the walk's blend replaces them) */
  private long firstLayerLength(DenseStack dense) {
    long n = dense.firstLayerLength();
    if (n < 0 || n > numParams) throw new IllegalStateException("the first layer has " + n + " of " + numParams + " parameters");
    return n; // 0: not the leading entries, so every entry is set
  }

  /** the parameters from index {@code from} on set to theta's (the entries before it are left as they are) */
  private void setParamsFrom(double[] theta, int from) {
    FlatArrays.write(net.params(), theta, from);
    current = null;
  }

  /**
   * The mean gradient over the parts at the network's current parameters, into out; returns the mean loss. Each
   * part's mean gradient g_i (in double) is weighted by its size n_i: out = (Σ_i g_i·n_i) / N, summed part by part
   * in double, element by element (what the ND4J arithmetic it replaces computed: no array but the part's gradient).
   */
  double meanGradient(ExampleView.Parts c, double[] out) {
    INDArray part = partGradient();
    if (c.count() == 1) { // one part: its mean gradient is the mean
      double loss = net.meanGradient(c.x()[0], c.y()[0], part, false);
      FlatArrays.read(part, out);
      return loss;
    }
    java.util.Arrays.fill(out, 0, numParams, 0.0);
    double[] g = partValues == null ? partValues = new double[numParams] : partValues;
    double lossSum = 0;
    for (int i = 0; i < c.count(); i++) {
      long rows = c.x()[i].size(0);
      lossSum += net.meanGradient(c.x()[i], c.y()[i], part, false) * rows;
      FlatArrays.read(part, g);
      for (int j = 0; j < numParams; j++) out[j] += g[j] * rows;
    }
    int n = c.examples();
    for (int j = 0; j < numParams; j++) out[j] /= n;
    return lossSum / c.examples();
  }

  /**
   * The mean gradient of one part at the network's current parameters written into {@code out}, an array of P entries
   * of the network's precision (a row of a larger one); returns the part's mean loss.
   */
  double meanGradientInto(ExampleView.Parts one, INDArray out) {
    if (one.count() != 1) throw new IllegalArgumentException("one part, not " + one.count());
    return net.meanGradient(one.x()[0], one.y()[0], out, false);
  }

  /** the kept [1, P] array of the network's precision a part's gradient is computed into */
  private INDArray partGradient() {
    if (partGradient == null) partGradient = Nd4j.create(dt, 1, numParams);
    return partGradient;
  }

  /**
   * The loss of every example of the parts at θ, part by part (batch normalisation with each part's statistics when
   * trainMode): losses[part][i] for the part's i-th example.
   */
  double[][] exampleLosses(ExampleView.Parts c, boolean trainMode, double[] theta) {
    setParams(theta);
    double[][] out = new double[c.count()][];
    for (int part = 0; part < c.count(); part++) {
      out[part] = net.exampleLosses(c.x()[part], c.labels()[part], trainMode);
    }
    return out;
  }

  /**
   * The softmax output for every example of the parts at θ, parts in order (batch normalisation with each part's
   * statistics when trainMode, else the running statistics): one row of class probabilities per example.
   */
  double[][] probabilities(ExampleView.Parts c, boolean trainMode, double[] theta) {
    setParams(theta);
    double[][] out = new double[c.examples()][];
    int k = net.numClasses();
    int row = 0;
    for (int part = 0; part < c.count(); part++) {
      INDArray o = net.output(c.x()[part], trainMode);
      INDArray od = o.castTo(DataType.DOUBLE);
      double[] p = od.data().asDouble();
      NdArrays.free(od == o ? null : od, o);
      int n = c.labels()[part].length;
      for (int i = 0; i < n; i++) {
        out[row++] = java.util.Arrays.copyOfRange(p, i * k, (i + 1) * k);
      }
    }
    return out;
  }

  /**
   * θ with every batch-norm running statistic replaced by the mean over the parts of the values each part's
   * train-mode forward pass at θ gives it ({@link Network#batchStatistics}): the exact average of the batch
   * statistics, as PyTorch's update_bn with momentum None computes it. Every part has the same weight (whole batches).
   */
  double[] recomputedStatistics(ExampleView.Parts c, double[] theta) {
    setParams(theta);
    double[] sum = new double[numParams];
    boolean[] statistic = new boolean[numParams];
    for (int part = 0; part < c.count(); part++) {
      double[] b = net.batchStatistics(c.x()[part], c.y()[part]);
      for (int i = 0; i < numParams; i++) {
        if (!Double.isNaN(b[i])) {
          sum[i] += b[i];
          statistic[i] = true;
        }
      }
    }
    double[] out = theta.clone();
    for (int i = 0; i < numParams; i++) {
      if (statistic[i]) out[i] = sum[i] / c.count();
    }
    setParams(theta);
    return out;
  }

  /** the mean gradient over the parts at θ, into out; returns the mean loss */
  double meanGradient(ExampleView.Parts c, double[] theta, double[] out) {
    setParams(theta);
    return meanGradient(c, out);
  }
}
