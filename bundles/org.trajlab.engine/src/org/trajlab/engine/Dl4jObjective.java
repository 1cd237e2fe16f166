package org.trajlab.engine;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.trajlab.api.objective.DataView;
import org.trajlab.api.objective.Evaluation;
import org.trajlab.api.objective.Objective;
import org.trajlab.api.objective.WeightMatrix;
import org.trajlab.engine.data.ImageSet;
import org.trajlab.engine.models.DenseHessian;
import org.trajlab.engine.models.InputShape;
import org.trajlab.engine.models.Network;

/**
 * The objective on a network of its own (a copy, never the one being trained): set theta, evaluate on a view.
 * Losses are mean cross-entropy over the view, from the network's softmax output; gradients are the zoo's mean
 * gradients, weighted by chunk size when a view is processed in chunks (5,000 examples for dense models, 500 for
 * convolutional ones).
 * <p>
 * Batch normalisation: {@link #evaluate} uses the running statistics (inference, as a deployed model would);
 * {@link #gradient} and {@link #hessianVector} use train mode, each chunk normalised with its own statistics (the
 * convention of papers 000 and 001 for probes; {@link #batchNormMode()} says "train").
 * <p>
 * Hessian-vector products are exact for plain dense stacks (softmax regression, MLPs without batch normalisation:
 * Pearlmutter's R-operator, {@link DenseHessian}); for every other model they are central finite differences of gradients on a DOUBLE twin of the network (built on
 * first use when training runs in FLOAT): Hv = (g(θ + εv) − g(θ − εv)) / 2ε with ε = sqrt(eps_double)·(1 + ‖θ‖)/‖v‖,
 * the rule the HVP spike validated (relative error 6.5e-10 against the exact R-operator on a 266k-parameter ReLU
 * MLP; steps of 1e-3 and more cross ReLU kinks and are wrong by orders of magnitude). Two gradients per product,
 * plus one per point. A direction concentrated on a few parameters (a bias, say) can still move some example's
 * pre-activation across 0 even at that step, which makes the difference O(1/ε) wrong: the forward and backward
 * differences then disagree, and the product is recomputed with ε/16 (up to four times; {@link #kinkRetries()}).
 */
public final class Dl4jObjective implements Objective {
  static final int CHUNK_DENSE = 5000;
  static final int CHUNK_CONV = 500;

  private final Network net;
  private final DataType dt;
  private final int numParams;
  private final int chunk;
  private final Supplier<Network> doubleTwin;
  private final ImageSet train;
  private final ImageSet test;
  private final int[] trainEvalIdx;
  private final Map<String, View> views;
  private final boolean[] trainable;
  private Dl4jObjective inDouble;
  /** the exact R-operator product when the model is a plain dense stack (null until first asked) */
  private java.util.Optional<DenseHessian> exact;
  /** a product is retried with the step divided by 16 at most this many times when a ReLU kink is crossed */
  static final int KINK_RETRIES = 4;
  private long kinkRetries;
  private DataView cachedView;
  private double[] cachedTheta;
  private double[] cachedGradient;

  /** a fixed set of examples; its feature and label arrays are built once per precision, on first use */
  static final class View implements DataView {
    final String name;
    final ImageSet source;
    final int[] idx;
    private final Map<DataType, Chunks> chunks = new EnumMap<>(DataType.class);

    record Chunks(INDArray[] x, INDArray[] y, int[][] labels) {}

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

    synchronized Chunks chunks(DataType dt, int chunk) {
      return chunks.computeIfAbsent(dt, d -> {
        int count = (idx.length + chunk - 1) / chunk;
        INDArray[] x = new INDArray[count];
        INDArray[] y = new INDArray[count];
        int[][] labels = new int[count][];
        for (int c = 0; c < count; c++) {
          int from = c * chunk;
          int to = Math.min(idx.length, from + chunk);
          x[c] = Batches.features(source, idx, from, to, d);
          y[c] = Batches.oneHot(source, idx, from, to, d);
          labels[c] = new int[to - from];
          for (int i = from; i < to; i++) labels[c][i - from] = source.labels()[idx[i]];
        }
        return new Chunks(x, y, labels);
      });
    }
  }

  /**
   * @param net the objective's own network (the trainer passes a copy of its network)
   * @param doubleTwin builds the same model in DOUBLE, for Hessian-vector products when {@code net} is FLOAT
   */
  public Dl4jObjective(Network net, Supplier<Network> doubleTwin, ImageSet train, ImageSet test, int[] trainEvalIdx) {
    this(net, doubleTwin, train, test, trainEvalIdx, new ConcurrentHashMap<>());
  }

  private Dl4jObjective(Network net, Supplier<Network> doubleTwin, ImageSet train, ImageSet test, int[] trainEvalIdx,
      Map<String, View> views) {
    this.net = net;
    this.dt = net.dataType();
    this.numParams = Math.toIntExact(net.numParams());
    this.chunk = net.inputShape().layout() == InputShape.Layout.IMAGE ? CHUNK_CONV : CHUNK_DENSE;
    this.doubleTwin = doubleTwin;
    this.train = train;
    this.test = test;
    this.trainEvalIdx = trainEvalIdx;
    this.views = views;
    this.trainable = new boolean[numParams];
    double[] m = net.trainableMask().toDoubleVector();
    for (int i = 0; i < numParams; i++) trainable[i] = m[i] != 0;
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
  public DataView view(String name) {
    return views.computeIfAbsent(name, n -> switch (n) {
      case "train-eval" -> new View(n, train, trainEvalIdx);
      case "test" -> new View(n, test, range(test.size()));
      case "train-full" -> new View(n, train, range(train.size()));
      default -> throw new IllegalArgumentException("unknown data view '" + n + "'; known: train-eval, test, train-full"
          + " and the views a run adds (held-out, train-clean, train-noisy)");
    });
  }

  /** registers a named view of {@code source} (all of it when {@code idx} is null) */
  public void addView(String name, ImageSet source, int[] idx) {
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

  private View.Chunks chunks(DataView v) {
    if (!(v instanceof View view)) {
      throw new IllegalArgumentException("the data view " + v.name() + " does not belong to this objective");
    }
    return view.chunks(dt, chunk);
  }

  private void setParams(double[] theta) {
    if (theta.length != numParams) {
      throw new IllegalArgumentException("theta has " + theta.length + " entries, the model " + numParams);
    }
    INDArray t = Nd4j.createFromArray(theta).reshape(net.params().shape());
    net.params().assign(dt == DataType.DOUBLE ? t : t.castTo(dt));
  }

  @Override
  public synchronized Evaluation evaluate(DataView dv, double[] theta) {
    View.Chunks c = chunks(dv);
    setParams(theta);
    double lossSum = 0;
    double correct = 0;
    for (int part = 0; part < c.x().length; part++) {
      double[] lh = net.lossAndHits(c.x()[part], c.labels()[part]);
      lossSum += lh[0];
      correct += lh[1];
    }
    return new Evaluation(lossSum / dv.size(), correct / dv.size(), dv.size());
  }

  @Override
  public synchronized double gradient(DataView dv, double[] theta, double[] out) {
    setParams(theta);
    return meanGradientHere(chunks(dv), dv.size(), out);
  }

  /** the mean gradient over the view's chunks at the network's current parameters, into out; the mean loss */
  private double meanGradientHere(View.Chunks c, int size, double[] out) {
    INDArray part = Nd4j.create(dt, 1, numParams);
    INDArray sum = Nd4j.zeros(DataType.DOUBLE, 1, numParams);
    try {
      double lossSum = 0;
      for (int i = 0; i < c.x().length; i++) {
        long rows = c.x()[i].size(0);
        lossSum += net.meanGradient(c.x()[i], c.y()[i], part, false) * rows;
        INDArray d = dt == DataType.DOUBLE ? part.mul(rows) : part.castTo(DataType.DOUBLE).muli(rows);
        sum.addi(d);
        d.close();
      }
      double[] g = sum.divi(size).data().asDouble();
      System.arraycopy(g, 0, out, 0, numParams);
      return lossSum / size;
    } finally {
      part.close();
      sum.close();
    }
  }

  @Override
  public double hessianVector(DataView dv, double[] theta, double[] v, double[] out) {
    if (dt != DataType.DOUBLE) return inDouble().hessianVector(dv, theta, v, out);
    if (v.length != numParams || out.length != numParams) {
      throw new IllegalArgumentException("v and out must have " + numParams + " entries");
    }
    synchronized (this) {
      View.Chunks c = chunks(dv);
      if (exact == null) exact = java.util.Optional.ofNullable(DenseHessian.of(net));
      if (exact.isPresent()) {
        setParams(theta);
        INDArray vv = Nd4j.createFromArray(v);
        INDArray sum = Nd4j.zeros(DataType.DOUBLE, net.params().shape());
        try {
          double loss = 0;
          for (int i = 0; i < c.x().length; i++) loss += exact.get().addProduct(c.x()[i], c.y()[i], vv, sum, dv.size());
          double[] hv = sum.data().asDouble();
          System.arraycopy(hv, 0, out, 0, numParams);
          return loss / dv.size();
        } finally {
          vv.close();
          sum.close();
        }
      }
      double[] u = v.clone();
      for (int i = 0; i < numParams; i++) {
        if (!trainable[i]) u[i] = 0;
      }
      double vNorm = norm(u);
      if (vNorm == 0) {
        setParams(theta);
        double loss = meanGradientHere(c, dv.size(), out);
        java.util.Arrays.fill(out, 0);
        return loss;
      }
      double[] g0 = gradientAt(dv, c, theta);
      double eps = fdStep(norm(theta), vNorm);
      double[] shifted = new double[numParams];
      double[] gPlus = new double[numParams];
      double lossPlus = 0;
      double lossMinus = 0;
      for (int attempt = 0; attempt < KINK_RETRIES; attempt++, eps /= 16) {
        for (int i = 0; i < numParams; i++) shifted[i] = theta[i] + eps * u[i];
        setParams(shifted);
        lossPlus = meanGradientHere(c, dv.size(), gPlus);
        for (int i = 0; i < numParams; i++) shifted[i] = theta[i] - eps * u[i];
        setParams(shifted);
        lossMinus = meanGradientHere(c, dv.size(), out);
        // inside one linear region of the ReLUs the forward and backward differences agree to O(eps); a unit that
        // changes sides between theta - eps v and theta + eps v makes them disagree by O(1/eps): retry smaller
        double mismatch = 0;
        double scale = 0;
        for (int i = 0; i < numParams; i++) {
          double fwd = gPlus[i] - g0[i];
          double bwd = g0[i] - out[i];
          mismatch += (fwd - bwd) * (fwd - bwd);
          scale += (fwd + bwd) * (fwd + bwd);
        }
        if (mismatch <= 1e-6 * scale) break;
        kinkRetries++;
      }
      for (int i = 0; i < numParams; i++) out[i] = trainable[i] ? (gPlus[i] - out[i]) / (2 * eps) : 0;
      setParams(theta);
      // L(θ) = (L(θ + εv) + L(θ − εv)) / 2 − ε²vᵀHv / 2 + O(ε⁴): the curvature term is ~1e-16 relative here
      return (lossPlus + lossMinus) / 2;
    }
  }

  /** the gradient at theta on the view, kept for the products at the same point (Lanczos asks for many) */
  private double[] gradientAt(DataView dv, View.Chunks c, double[] theta) {
    if (cachedView == dv && java.util.Arrays.equals(cachedTheta, theta)) return cachedGradient;
    setParams(theta);
    double[] g = new double[numParams];
    meanGradientHere(c, dv.size(), g);
    cachedView = dv;
    cachedTheta = theta.clone();
    cachedGradient = g;
    return g;
  }

  /** how many products were recomputed with a smaller step because a ReLU changed sides (for the run log) */
  public long kinkRetries() {
    return kinkRetries;
  }

  /** the central-difference step for a direction of norm vNorm at a point of norm thetaNorm (see the class doc) */
  public static double fdStep(double thetaNorm, double vNorm) {
    return Math.sqrt(Math.ulp(1.0)) * (1 + thetaNorm) / vNorm;
  }

  private static double norm(double[] x) {
    double s = 0;
    for (double d : x) s += d * d;
    return Math.sqrt(s);
  }

  @Override
  public synchronized Objective inDouble() {
    if (dt == DataType.DOUBLE) return this;
    if (inDouble == null) {
      inDouble = new Dl4jObjective(doubleTwin.get(), doubleTwin, train, test, trainEvalIdx, views);
    }
    return inDouble;
  }

  @Override
  public boolean[] trainable() {
    return trainable.clone();
  }

  @Override
  public List<WeightMatrix> weightMatrices() {
    List<WeightMatrix> out = new ArrayList<>();
    long base = net.params().offset();
    for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
      String name = e.getKey();
      INDArray w = e.getValue();
      if (!(name.equals("W") || name.endsWith("_W"))) continue;
      long offset = w.offset() - base;
      if (w.rank() == 2 && w.ordering() == 'f') {
        out.add(new WeightMatrix(name, offset, (int) w.size(0), (int) w.size(1)));
      } else if (w.rank() == 4 && w.ordering() == 'c') {
        out.add(new WeightMatrix(name, offset, (int) (w.length() / w.size(0)), (int) w.size(0)));
      } else if (w.rank() == 2 && w.ordering() == 'c') {
        out.add(new WeightMatrix(name, offset, (int) w.size(1), (int) w.size(0)));
      }
    }
    return out;
  }

  @Override
  public String hessianMethod() {
    if (dt != DataType.DOUBLE) return inDouble().hessianMethod();
    synchronized (this) {
      if (exact == null) exact = java.util.Optional.ofNullable(DenseHessian.of(net));
      return exact.isPresent() ? "exact (R-operator)" : "central differences, step sqrt(eps)(1+|theta|)/|v|, kink retries "
          + kinkRetries;
    }
  }

  @Override
  public String batchNormMode() {
    return net.hasBatchNorm() ? "train" : "none";
  }
}
