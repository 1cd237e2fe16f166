package org.trajlab.engine;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.api.objective.Evaluation;
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

  void setParams(double[] theta) {
    if (theta.length != numParams) {
      throw new IllegalArgumentException("theta has " + theta.length + " entries, the model " + numParams);
    }
    INDArray raw = Nd4j.createFromArray(theta);
    INDArray t = raw.reshape(net.params().shape());
    INDArray cast = dt == DataType.DOUBLE ? t : t.castTo(dt);
    net.params().assign(cast);
    NdArrays.free(cast, t, raw);
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

  /** the mean gradient over the parts at the network's current parameters, into out; returns the mean loss */
  double meanGradient(ExampleView.Parts c, double[] out) {
    INDArray part = Nd4j.create(dt, 1, numParams);
    INDArray sum = Nd4j.zeros(DataType.DOUBLE, 1, numParams);
    try {
      double lossSum = 0;
      for (int i = 0; i < c.count(); i++) {
        long rows = c.x()[i].size(0);
        lossSum += net.meanGradient(c.x()[i], c.y()[i], part, false) * rows;
        INDArray d = dt == DataType.DOUBLE ? part.mul(rows) : part.castTo(DataType.DOUBLE).muli(rows);
        sum.addi(d);
        NdArrays.free(d);
      }
      double[] g = sum.divi(c.examples()).data().asDouble();
      System.arraycopy(g, 0, out, 0, numParams);
      return lossSum / c.examples();
    } finally {
      NdArrays.free(part, sum);
    }
  }

  /**
   * The loss of every example of the parts at θ, part by part (batch normalisation with each part's statistics when
   * trainMode): losses[part][i] for the part's i-th example.
   */
  double[][] exampleLosses(ExampleView.Parts c, boolean trainMode, double[] theta) {
    setParams(theta);
    double[][] out = new double[c.count()][];
    int k = net.numClasses();
    for (int part = 0; part < c.count(); part++) {
      INDArray o = net.output(c.x()[part], trainMode);
      INDArray od = o.castTo(DataType.DOUBLE);
      double[] p = od.data().asDouble();
      NdArrays.free(od == o ? null : od, o);
      int[] labels = c.labels()[part];
      out[part] = new double[labels.length];
      for (int i = 0; i < labels.length; i++) out[part][i] = -Math.log(p[i * k + labels[i]]);
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
   * θ with every batch-norm running statistic ({@code statistic[i]} true) replaced by the mean over the parts of
   * the part's own batch statistic, the rest of θ unchanged (torch's {@code update_bn}). Each part runs one
   * train-mode pass from running statistics of 0, which leaves (1 − decay) · batch statistic in them (a train-mode
   * pass normalises with the batch's statistics, so the running values before it change nothing else).
   */
  double[] recomputedStatistics(ExampleView.Parts c, double[] theta, boolean[] statistic) {
    double[] start = theta.clone();
    for (int i = 0; i < numParams; i++) {
      if (statistic[i]) start[i] = 0;
    }
    double[] sum = new double[numParams];
    INDArray g = Nd4j.create(dt, 1, numParams);
    try {
      for (int part = 0; part < c.count(); part++) {
        setParams(start);
        net.meanGradient(c.x()[part], c.y()[part], g, true);
        INDArray p = net.params().castTo(DataType.DOUBLE);
        double[] after = p.data().asDouble();
        if (p != net.params()) NdArrays.free(p);
        for (int i = 0; i < numParams; i++) {
          if (statistic[i]) sum[i] += after[i];
        }
      }
    } finally {
      NdArrays.free(g);
    }
    double[] out = theta.clone();
    double oneMinusDecay = 1 - Network.batchNormDecay();
    for (int i = 0; i < numParams; i++) {
      if (statistic[i]) out[i] = sum[i] / c.count() / oneMinusDecay;
    }
    return out;
  }

  /** the mean gradient over the parts at θ, into out; returns the mean loss */
  double meanGradient(ExampleView.Parts c, double[] theta, double[] out) {
    setParams(theta);
    return meanGradient(c, out);
  }
}
