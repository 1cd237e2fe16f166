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
 * gradients, weighted by batch size when a view is processed in parts.
 * <p>
 * <b>Batch normalisation</b> ({@link ProbeBatchNorm}, INSTRUMENTS.md conventions). By default every probe quantity
 * of a model with batch normalisation is measured as SGD experiences it: the view is cut once into a seeded random
 * partition of batches of the run's batch size S (a remainder of fewer than S examples is left out, as training
 * drops a last partial batch), each batch is normalised with its own statistics (train mode), and losses,
 * accuracies, gradients and Hessian-vector products are the means over those batches. The same batches are used at
 * every point, so a loss along a line is a smooth function of the line. {@link #batches(DataView)} lists them.
 * In inference mode ({@code batchNorm.mode: "inference"}) losses and accuracies use the running statistics over the
 * whole view instead; DL4J differentiates batch normalisation in train mode only, so gradients and products are
 * refused in that mode (the runner checks this before a run starts). {@link #evaluateInference} always uses the
 * running statistics over the whole view: the engine's {@code eval} rows (a deployed model's loss and accuracy).
 * Models without batch normalisation are processed in chunks of 5,000 examples (dense) or 500 (convolutional); the
 * chunking changes nothing but rounding.
 * <p>
 * Hessian-vector products are exact for plain dense stacks (softmax regression, MLPs without batch normalisation:
 * Pearlmutter's R-operator, {@link DenseHessian}); for every other model they are checked central differences of
 * gradients on a DOUBLE twin of the network (built on first use when training runs in FLOAT), see
 * {@link CentralDifferences}: two gradients per product, plus one per point, and more where a ReLU kink is crossed.
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
  private final ProbeBatchNorm batchNorm;
  /** probe quantities come from train-mode batches of S: the model has batch normalisation and the mode is train */
  private final boolean batchesOfS;
  private Dl4jObjective inDouble;
  /** the exact R-operator product when the model is a plain dense stack (null until first asked) */
  private java.util.Optional<DenseHessian> exact;
  private final CentralDifferences differences = new CentralDifferences();
  private DataView cachedView;
  private double[] cachedTheta;
  private double[] cachedGradient;

  /** how a view is cut into parts: parts of {@code size}, the last one shorter, or whole batches only */
  record Partition(int size, boolean wholeBatches, long seed) {}

  /** a fixed set of examples; its feature and label arrays are built once per precision and partition, on first use */
  static final class View implements DataView {
    final String name;
    final ImageSet source;
    final int[] idx;
    private final Map<DataType, Map<Partition, Parts>> parts = new EnumMap<>(DataType.class);

    /** the parts' arrays, their examples' labels, and the examples they hold */
    record Parts(INDArray[] x, INDArray[] y, int[][] labels, int[][] members, int examples) {}

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

    synchronized Parts parts(DataType dt, Partition p) {
      return parts.computeIfAbsent(dt, d -> new java.util.HashMap<>()).computeIfAbsent(p, q -> build(dt, q));
    }

    private Parts build(DataType d, Partition p) {
      int[][] members = members(p);
      int count = members.length;
      INDArray[] x = new INDArray[count];
      INDArray[] y = new INDArray[count];
      int[][] labels = new int[count][];
      int examples = 0;
      for (int c = 0; c < count; c++) {
        int[] m = members[c];
        x[c] = Batches.features(source, m, 0, m.length, d);
        y[c] = Batches.oneHot(source, m, 0, m.length, d);
        labels[c] = new int[m.length];
        for (int i = 0; i < m.length; i++) labels[c][i] = source.labels()[m[i]];
        examples += m.length;
      }
      return new Parts(x, y, labels, members, examples);
    }

    /**
     * The source indices of each part. Chunks keep the view's order and cover it; whole batches are a seeded random
     * partition into batches of exactly {@code size} (a view smaller than that is one batch), the remainder left out.
     */
    int[][] members(Partition p) {
      int n = idx.length;
      if (!p.wholeBatches()) {
        int count = (n + p.size() - 1) / p.size();
        int[][] m = new int[count][];
        for (int c = 0; c < count; c++) m[c] = java.util.Arrays.copyOfRange(idx, c * p.size(), Math.min(n, (c + 1) * p.size()));
        return m;
      }
      if (n <= p.size()) return new int[][] { idx.clone() };
      int[] order = org.trajlab.engine.data.Splits.permutation(new java.util.SplittableRandom(p.seed() ^ name.hashCode()), n);
      int count = n / p.size();
      int[][] m = new int[count][p.size()];
      for (int c = 0; c < count; c++) {
        for (int i = 0; i < p.size(); i++) m[c][i] = idx[order[c * p.size() + i]];
      }
      return m;
    }
  }

  /**
   * @param net the objective's own network (the trainer passes a copy of its network)
   * @param doubleTwin builds the same model in DOUBLE, for Hessian-vector products when {@code net} is FLOAT
   * @param batchNorm how probes treat batch normalisation (irrelevant without it)
   */
  public Dl4jObjective(Network net, Supplier<Network> doubleTwin, ImageSet train, ImageSet test, int[] trainEvalIdx,
      ProbeBatchNorm batchNorm) {
    this(net, doubleTwin, train, test, trainEvalIdx, batchNorm, new ConcurrentHashMap<>());
  }

  /** with train-mode batch norm over batches of 100 (the spec's default batch size) */
  public Dl4jObjective(Network net, Supplier<Network> doubleTwin, ImageSet train, ImageSet test, int[] trainEvalIdx) {
    this(net, doubleTwin, train, test, trainEvalIdx, ProbeBatchNorm.train(100, 0));
  }

  private Dl4jObjective(Network net, Supplier<Network> doubleTwin, ImageSet train, ImageSet test, int[] trainEvalIdx,
      ProbeBatchNorm batchNorm, Map<String, View> views) {
    this.net = net;
    this.dt = net.dataType();
    this.numParams = Math.toIntExact(net.numParams());
    this.chunk = net.inputShape().layout() == InputShape.Layout.IMAGE ? CHUNK_CONV : CHUNK_DENSE;
    this.doubleTwin = doubleTwin;
    this.train = train;
    this.test = test;
    this.trainEvalIdx = trainEvalIdx;
    this.views = views;
    this.batchNorm = batchNorm;
    this.batchesOfS = net.hasBatchNorm() && batchNorm.train();
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

  private static View own(DataView v) {
    if (!(v instanceof View view)) {
      throw new IllegalArgumentException("the data view " + v.name() + " does not belong to this objective");
    }
    return view;
  }

  /** the parts probe quantities are computed over: train-mode batches of S, or chunks */
  private View.Parts probeParts(DataView v) {
    return own(v).parts(dt, batchesOfS ? new Partition(batchNorm.batchSize(), true, batchNorm.seed()) : new Partition(chunk, false, 0));
  }

  /**
   * The batches probe quantities on this view are averaged over (source indices: training-set indices for training
   * views), in train mode with batch normalisation; else the chunks, which cover the view.
   */
  public int[][] batches(DataView v) {
    return probeParts(v).members();
  }

  private void setParams(double[] theta) {
    if (theta.length != numParams) {
      throw new IllegalArgumentException("theta has " + theta.length + " entries, the model " + numParams);
    }
    INDArray t = Nd4j.createFromArray(theta).reshape(net.params().shape());
    net.params().assign(dt == DataType.DOUBLE ? t : t.castTo(dt));
  }

  /** mean loss and accuracy as probes measure them: train-mode batches of S on a model with batch normalisation */
  @Override
  public synchronized Evaluation evaluate(DataView dv, double[] theta) {
    return evaluateOver(probeParts(dv), batchesOfS, theta);
  }

  /** mean loss and accuracy with batch normalisation's running statistics over the whole view (the eval rows) */
  public synchronized Evaluation evaluateInference(DataView dv, double[] theta) {
    return evaluateOver(own(dv).parts(dt, new Partition(chunk, false, 0)), false, theta);
  }

  private Evaluation evaluateOver(View.Parts c, boolean trainMode, double[] theta) {
    setParams(theta);
    double lossSum = 0;
    double correct = 0;
    for (int part = 0; part < c.x().length; part++) {
      double[] lh = net.lossAndHits(c.x()[part], c.labels()[part], trainMode);
      lossSum += lh[0];
      correct += lh[1];
    }
    return new Evaluation(lossSum / c.examples(), correct / c.examples(), c.examples());
  }

  @Override
  public synchronized double gradient(DataView dv, double[] theta, double[] out) {
    requireGradients();
    setParams(theta);
    return meanGradientHere(probeParts(dv), out);
  }

  /** DL4J differentiates batch normalisation in train mode only */
  private void requireGradients() {
    if (net.hasBatchNorm() && !batchNorm.train()) {
      throw new UnsupportedOperationException("gradients of a batch-norm model in inference mode are not available"
          + " (DL4J differentiates batch normalisation in train mode only); use batchNorm.mode 'train'");
    }
  }

  /** the mean gradient over the parts at the network's current parameters, into out; the mean loss */
  private double meanGradientHere(View.Parts c, double[] out) {
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
      double[] g = sum.divi(c.examples()).data().asDouble();
      System.arraycopy(g, 0, out, 0, numParams);
      return lossSum / c.examples();
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
    requireGradients();
    synchronized (this) {
      View.Parts c = probeParts(dv);
      if (exact == null) exact = java.util.Optional.ofNullable(DenseHessian.of(net));
      if (exact.isPresent()) {
        setParams(theta);
        INDArray vv = Nd4j.createFromArray(v);
        INDArray sum = Nd4j.zeros(DataType.DOUBLE, net.params().shape());
        try {
          double loss = 0;
          for (int i = 0; i < c.x().length; i++) loss += exact.get().addProduct(c.x()[i], c.y()[i], vv, sum, c.examples());
          double[] hv = sum.data().asDouble();
          System.arraycopy(hv, 0, out, 0, numParams);
          return loss / c.examples();
        } finally {
          vv.close();
          sum.close();
        }
      }
      double[] u = v.clone();
      for (int i = 0; i < numParams; i++) {
        if (!trainable[i]) u[i] = 0;
      }
      if (CentralDifferences.norm(u) == 0) {
        setParams(theta);
        double loss = meanGradientHere(c, out);
        java.util.Arrays.fill(out, 0);
        return loss;
      }
      double[] g0 = gradientAt(dv, c, theta);
      double loss = differences.product((th, g) -> {
        setParams(th);
        return meanGradientHere(c, g);
      }, theta, g0, u, out);
      for (int i = 0; i < numParams; i++) {
        if (!trainable[i]) out[i] = 0;
      }
      setParams(theta);
      return loss;
    }
  }

  /** the gradient at theta on the view, kept for the products at the same point (Lanczos asks for many) */
  private double[] gradientAt(DataView dv, View.Parts c, double[] theta) {
    if (cachedView == dv && java.util.Arrays.equals(cachedTheta, theta)) return cachedGradient;
    setParams(theta);
    double[] g = new double[numParams];
    meanGradientHere(c, g);
    cachedView = dv;
    cachedTheta = theta.clone();
    cachedGradient = g;
    return g;
  }

  /** how many products were recomputed with a smaller step because a ReLU changed sides (for the run log) */
  public long kinkRetries() {
    return differences.retries();
  }

  /** how many products never agreed on both sides and were taken one-sided (for the run log) */
  public long kinkUnresolved() {
    return differences.unresolved();
  }

  /** the central-difference step for a direction of norm vNorm at a point of norm thetaNorm */
  public static double fdStep(double thetaNorm, double vNorm) {
    return CentralDifferences.fdStep(thetaNorm, vNorm);
  }

  @Override
  public synchronized Objective inDouble() {
    if (dt == DataType.DOUBLE) return this;
    if (inDouble == null) {
      inDouble = new Dl4jObjective(doubleTwin.get(), doubleTwin, train, test, trainEvalIdx, batchNorm, views);
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
          + differences.retries() + ", never agreed (taken one-sided) " + differences.unresolved();
    }
  }

  @Override
  public String batchNormMode() {
    return net.hasBatchNorm() ? batchNorm.mode() : "none";
  }

  @Override
  public int batchNormBatchSize() {
    return batchesOfS ? batchNorm.batchSize() : 0;
  }
}
