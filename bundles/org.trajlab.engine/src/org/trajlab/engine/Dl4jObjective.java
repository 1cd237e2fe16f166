package org.trajlab.engine;

import java.util.HashMap;
import java.util.Map;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.api.objective.DataView;
import org.trajlab.api.objective.Evaluation;
import org.trajlab.api.objective.Objective;
import org.trajlab.engine.data.ImageSet;

/**
 * The objective on a DL4J network of its own (never the one being trained): set theta, evaluate on a view.
 * Losses are mean cross-entropy over the view, computed from the network's softmax output; gradients are DL4J's
 * summed batch gradient divided by the number of examples. Large views are processed in chunks.
 * <p>
 * Batch normalisation (later models) is evaluated in inference mode here; the curvature probes of a later issue
 * add a train-mode path and record the mode.
 */
public final class Dl4jObjective implements Objective {
  static final int CHUNK = 5000;

  private final MultiLayerNetwork net;
  private final DataType dt;
  private final int numParams;
  private final ImageSet train;
  private final ImageSet test;
  private final int[] trainEvalIdx;
  private final Map<String, View> views = new HashMap<>();

  /** a fixed set of examples; its feature and label arrays are built once, on first use */
  static final class View implements DataView {
    final String name;
    final ImageSet source;
    final int[] idx;
    INDArray[] x;
    INDArray[] y;
    int[][] labels;

    View(String name, ImageSet source, int[] idx) {
      this.name = name;
      this.source = source;
      this.idx = idx;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public int size() {
      return idx.length;
    }

    void materialise(DataType dt) {
      if (x != null) return;
      int chunks = (idx.length + CHUNK - 1) / CHUNK;
      x = new INDArray[chunks];
      y = new INDArray[chunks];
      labels = new int[chunks][];
      for (int c = 0; c < chunks; c++) {
        int from = c * CHUNK;
        int to = Math.min(idx.length, from + CHUNK);
        x[c] = Batches.features(source, idx, from, to, dt);
        y[c] = Batches.oneHot(source, idx, from, to, dt);
        labels[c] = new int[to - from];
        for (int i = from; i < to; i++) labels[c][i - from] = source.labels()[idx[i]];
      }
    }
  }

  public Dl4jObjective(MultiLayerConfiguration conf, ImageSet train, ImageSet test, int[] trainEvalIdx) {
    this.net = Models.network(conf);
    this.dt = net.params().dataType();
    this.numParams = (int) net.numParams();
    this.train = train;
    this.test = test;
    this.trainEvalIdx = trainEvalIdx;
  }

  @Override
  public int numParams() {
    return numParams;
  }

  @Override
  public String precision() {
    return dt == DataType.DOUBLE ? "double" : "float";
  }

  @Override
  public synchronized DataView view(String name) {
    return views.computeIfAbsent(name, n -> switch (n) {
      case "train-eval" -> new View(n, train, trainEvalIdx);
      case "test" -> new View(n, test, range(test.size()));
      case "train-full" -> new View(n, train, range(train.size()));
      default -> throw new IllegalArgumentException("unknown data view '" + n + "'; known: train-eval, test, train-full"
          + " and the views a run adds (held-out, train-clean, train-noisy)");
    });
  }

  /** registers a named view of {@code source} (all of it when {@code idx} is null) */
  public synchronized void addView(String name, ImageSet source, int[] idx) {
    views.put(name, new View(name, source, idx == null ? range(source.size()) : idx.clone()));
  }

  @Override
  public DataView batch(String name, int[] trainIndices) {
    return new View(name, train, trainIndices.clone());
  }

  private static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) r[i] = i;
    return r;
  }

  private View own(DataView v) {
    if (!(v instanceof View view)) {
      throw new IllegalArgumentException("the data view " + v.name() + " does not belong to this objective");
    }
    view.materialise(dt);
    return view;
  }

  void setParams(double[] theta) {
    if (theta.length != numParams) {
      throw new IllegalArgumentException("theta has " + theta.length + " entries, the model " + numParams);
    }
    INDArray t = Nd4j.createFromArray(theta).reshape(net.params().shape());
    net.params().assign(dt == DataType.DOUBLE ? t : t.castTo(dt));
  }

  @Override
  public synchronized Evaluation evaluate(DataView dv, double[] theta) {
    View v = own(dv);
    setParams(theta);
    double lossSum = 0;
    long correct = 0;
    int k = v.source.numClasses();
    for (int c = 0; c < v.x.length; c++) {
      INDArray out = net.output(v.x[c], false);
      double[] p = out.castTo(DataType.DOUBLE).data().asDouble();
      int[] lab = v.labels[c];
      for (int i = 0; i < lab.length; i++) {
        int base = i * k;
        lossSum -= Math.log(p[base + lab[i]]);
        int arg = 0;
        for (int j = 1; j < k; j++) {
          if (p[base + j] > p[base + arg]) arg = j;
        }
        if (arg == lab[i]) correct++;
      }
    }
    return new Evaluation(lossSum / v.size(), (double) correct / v.size(), v.size());
  }

  @Override
  public synchronized double gradient(DataView dv, double[] theta, double[] out) {
    View v = own(dv);
    setParams(theta);
    INDArray sum = null;
    double lossSum = 0;
    for (int c = 0; c < v.x.length; c++) {
      net.setInput(v.x[c]);
      net.setLabels(v.y[c]);
      net.computeGradientAndScore();
      INDArray g = net.gradient().gradient();
      sum = sum == null ? g.castTo(DataType.DOUBLE).dup() : sum.addi(g.castTo(DataType.DOUBLE));
      lossSum += net.score() * v.x[c].rows();
    }
    double[] g = sum.divi(v.size()).data().asDouble();
    System.arraycopy(g, 0, out, 0, numParams);
    return lossSum / v.size();
  }
}
