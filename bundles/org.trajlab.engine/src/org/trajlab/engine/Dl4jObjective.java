package org.trajlab.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.trajlab.api.objective.DataView;
import org.trajlab.api.objective.Evaluation;
import org.trajlab.api.objective.GradientSink;
import org.trajlab.api.objective.Objective;
import org.trajlab.api.objective.ParameterBlock;
import org.trajlab.api.objective.WeightMatrix;
import org.trajlab.engine.data.ImageSet;
import org.trajlab.engine.models.Gemm;
import org.trajlab.engine.models.DenseHessian;
import org.trajlab.engine.models.DenseStack;
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
 * Pearlmutter's R-operator, {@link DenseHessian}) and for convolutional stacks (SimpleCNN and VGG-11, with or without
 * batch normalisation: the R-operator through convolution, max pooling and train-mode batch norm,
 * {@link org.trajlab.engine.models.ConvHessian}); for every other model (ResNets, the LSTM, MLPs with batch norm) they are checked central differences of
 * gradients on a DOUBLE twin of the network (built on first use when training runs in FLOAT), see
 * {@link CentralDifferences}: two gradients per product, plus one per point, and more where a ReLU kink is crossed.
 */
public final class Dl4jObjective implements Objective {
  static final int CHUNK_DENSE = 5000;
  static final int CHUNK_CONV = 500;

  private final PartsNetwork net;
  private final int chunk;
  private final Supplier<Network> doubleTwin;
  private final ImageSet train;
  private final ImageSet test;
  private final int[] trainEvalIdx;
  private final Map<String, ExampleView> views;
  private final boolean[] trainable;
  private final ProbeBatchNorm batchNorm;
  /** probe quantities come from train-mode batches of S: the model has batch normalisation and the mode is train */
  private final boolean batchesOfS;
  private Dl4jObjective inDouble;
  /** how Hessian-vector products are formed (chosen on first use, in DOUBLE) */
  private HessianProducts products;
  /** the network's dense stack (empty: not a plain dense stack), made on first use */
  private java.util.Optional<DenseStack> dense;

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
      ProbeBatchNorm batchNorm, Map<String, ExampleView> views) {
    this.net = new PartsNetwork(net);
    this.chunk = net.inputShape().layout() == InputShape.Layout.IMAGE ? CHUNK_CONV : CHUNK_DENSE;
    this.doubleTwin = doubleTwin;
    this.train = train;
    this.test = test;
    this.trainEvalIdx = trainEvalIdx;
    this.views = views;
    this.batchNorm = batchNorm;
    this.batchesOfS = net.hasBatchNorm() && batchNorm.train();
    int p = this.net.numParams();
    this.trainable = new boolean[p];
    double[] m = net.trainableMask().toDoubleVector();
    for (int i = 0; i < p; i++) trainable[i] = m[i] != 0;
  }

  @Override
  public int numParams() {
    return net.numParams();
  }

  @Override
  public String precision() {
    return net.dataType() == DataType.DOUBLE ? "double" : "float";
  }

  @Override
  public DataView view(String name) {
    return views.computeIfAbsent(name, n -> switch (n) {
      case "train-eval" -> new ExampleView(n, train, trainEvalIdx);
      case "test" -> new ExampleView(n, test, range(test.size()));
      case "train-full" -> new ExampleView(n, train, range(train.size()));
      default -> throw new IllegalArgumentException("unknown data view '" + n + "'; known: train-eval, test, train-full"
          + " and the views a run adds (held-out, train-clean, train-noisy)");
    });
  }

  /** registers a named view of {@code source} (all of it when {@code idx} is null) */
  public void addView(String name, ImageSet source, int[] idx) {
    views.put(name, new ExampleView(name, source, idx == null ? range(source.size()) : idx.clone()));
  }

  @Override
  public DataView batch(String name, int[] trainIndices) {
    return new ExampleView(name, train, trainIndices.clone());
  }

  private static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) r[i] = i;
    return r;
  }

  private static ExampleView own(DataView v) {
    if (!(v instanceof ExampleView view)) {
      throw new IllegalArgumentException("the data view " + v.name() + " does not belong to this objective");
    }
    return view;
  }

  /** the parts probe quantities are computed over: train-mode batches of S, or chunks */
  private ExampleView.Parts probeParts(DataView v) {
    ExampleView.Partition p = batchesOfS ? new ExampleView.Partition(batchNorm.batchSize(), true, batchNorm.seed())
        : new ExampleView.Partition(chunk, false, 0);
    return own(v).parts(net.dataType(), p);
  }

  /**
   * The batches probe quantities on this view are averaged over (source indices: training-set indices for training
   * views), in train mode with batch normalisation; else the chunks, which cover the view.
   */
  public int[][] batches(DataView v) {
    return probeParts(v).members();
  }

  /** the view positions of the batches probe quantities on this view are averaged over (see {@link #batches}) */
  public int[][] batchPositions(DataView v) {
    return probeParts(v).positions();
  }

  /** mean loss and accuracy as probes measure them: train-mode batches of S on a model with batch normalisation */
  @Override
  public synchronized Evaluation evaluate(DataView dv, double[] theta) {
    return net.evaluate(probeParts(dv), batchesOfS, theta);
  }

  /**
   * As the API says; a plain dense stack (no batch normalisation) blends its first layer's pre-activations from the
   * line's two ends ({@link PartsNetwork#lossesAlong}) unless the system property {@code trajlab.walkBlend} is false:
   * the losses equal the pointwise ones up to float rounding (exactly at α = 0 and 1).
   */
  @Override
  public double[] lossesAlong(DataView dv, double[] theta0, double[] theta1, double[] alphas) {
    DenseStack dense = blendable();
    if (dense == null) return Objective.super.lossesAlong(dv, theta0, theta1, alphas);
    synchronized (this) {
      return net.lossesAlong(probeParts(dv), dense, theta0, theta1, alphas);
    }
  }

  @Override
  public String lossesAlongMethod() {
    return blendable() != null ? "first-layer pre-activations blended from the two ends (2 products, not 1 per point; consecutive walks"
        + " share 1)"
        : Objective.super.lossesAlongMethod();
  }

  /** the dense stack the losses along a line are blended on, or null (batch normalisation, other layers, switched off) */
  private synchronized DenseStack blendable() {
    if (batchesOfS || net.network().hasBatchNorm() || "false".equals(System.getProperty("trajlab.walkBlend"))) return null;
    return denseStack();
  }

  /** the network's dense stack ({@link DenseStack#of}), or null when it is not a plain dense stack; made once */
  private synchronized DenseStack denseStack() {
    if (dense == null) dense = java.util.Optional.ofNullable(DenseStack.of(net.network()));
    return dense.orElse(null);
  }

  /** mean loss and accuracy with batch normalisation's running statistics over the whole view (the eval rows) */
  @Override
  public synchronized Evaluation evaluateInference(DataView dv, double[] theta) {
    return net.evaluate(own(dv).parts(net.dataType(), new ExampleView.Partition(chunk, false, 0)), false, theta);
  }

  /**
   * As the API says: the view cut into a seeded partition of whole batches of the run's batch size (the probes'
   * train-mode batches when they are in force, the same cut otherwise), each batch's statistics from a train-mode
   * forward pass, averaged with equal weights. A model without batch normalisation gets a copy of theta.
   */
  @Override
  public synchronized double[] withRecomputedBatchNorm(double[] theta, DataView trainData) {
    if (theta.length != net.numParams()) {
      throw new IllegalArgumentException("theta has " + theta.length + " entries, the model " + net.numParams());
    }
    if (!net.network().hasBatchNorm()) return theta.clone();
    return net.recomputedStatistics(own(trainData).parts(net.dataType(), recomputePartition()), theta);
  }

  /**
   * the softmax output for every example of the view, in view order, with batch normalisation's running statistics
   * (inference mode, as the eval rows), in chunks that cover the view
   */
  @Override
  public synchronized double[][] probabilities(DataView dv, double[] theta) {
    return net.probabilities(own(dv).parts(net.dataType(), new ExampleView.Partition(chunk, false, 0)), false, theta);
  }

  /** the batches {@link #withRecomputedBatchNorm} averages over: view positions, one array per batch */
  public int[][] recomputeBatchPositions(DataView dv) {
    return own(dv).positions(recomputePartition());
  }

  private ExampleView.Partition recomputePartition() {
    return new ExampleView.Partition(batchNorm.recomputeBatchSize(), true, batchNorm.seed());
  }

  @Override
  public synchronized double gradient(DataView dv, double[] theta, double[] out) {
    requireGradients();
    return net.meanGradient(probeParts(dv), theta, out);
  }

  /** DL4J differentiates batch normalisation in train mode only */
  private void requireGradients() {
    if (net.network().hasBatchNorm() && !batchNorm.train()) {
      throw new UnsupportedOperationException("gradients of a batch-norm model in inference mode are not available"
          + " (DL4J differentiates batch normalisation in train mode only); use batchNorm.mode 'train'");
    }
  }

  @Override
  public double hessianVector(DataView dv, double[] theta, double[] v, double[] out) {
    if (net.dataType() != DataType.DOUBLE) return inDouble().hessianVector(dv, theta, v, out);
    int p = net.numParams();
    if (v.length != p || out.length != p) {
      throw new IllegalArgumentException("v and out must have " + p + " entries");
    }
    requireGradients();
    synchronized (this) {
      return products().product(probeParts(dv), own(dv), theta, masked(v), out);
    }
  }

  /**
   * v with the frozen entries (batch-norm statistics) zeroed, in an array kept between calls (valid until the next;
   * call with the lock held): a new parameter-sized array per product was fresh heap memory (G1 places such arrays in
   * regions of their own), touched page by page for a process's first ~25 products (with the strategies' other
   * per-product arrays, 20-30 ms of a 55 ms MLP product at a new θ)
   */
  private double[] masked(double[] v) {
    if (direction == null || direction.length != v.length) direction = new double[v.length];
    for (int i = 0; i < v.length; i++) direction[i] = trainable[i] ? v[i] : 0;
    return direction;
  }

  /** the array {@link #masked} writes */
  private double[] direction;

  @Override
  public void groupGradients(DataView dv, double[] theta, int[][] groups, GradientSink sink) {
    if (net.dataType() != DataType.DOUBLE) {
      inDouble().groupGradients(dv, theta, groups, sink);
      return;
    }
    requireGradients();
    requireGroupsForBatchNorm(groups);
    synchronized (this) {
      double[] g = new double[net.numParams()];
      net.setParams(theta);
      for (int k = 0; k < groups.length; k++) {
        int group = k;
        double loss = onExamples(dv, groups[k], one -> {
          net.ensureParams(theta); // set once: again only if a sink moved the network
          return net.meanGradient(one, g);
        });
        sink.accept(group, g, loss);
      }
    }
  }

  /**
   * As the API says; per-example groups of a plain dense stack take the Gram matrix from each layer's activations
   * and errors ({@link DenseHessian#exampleGram}) without forming a gradient; any other case holds at most
   * {@link #GRAM_BUDGET_BYTES} of gradients at once, recomputing the rest block by block. In FLOAT, groups of more than
   * one example whose gradients fit in that budget at once take FLOAT gradients and their FLOAT products; any other
   * case is the DOUBLE twin's.
   */
  @Override
  public double[][] groupGram(DataView dv, double[] theta, int[][] groups) {
    boolean perExample = java.util.Arrays.stream(groups).allMatch(g -> g.length == 1);
    if (net.dataType() != DataType.DOUBLE
        && (perExample || (long) net.dataType().width() * groups.length * net.numParams() > GRAM_BUDGET_BYTES)) {
      // FLOAT takes blockGram's first block only: the gradients of its later blocks stream from the DOUBLE twin
      return inDouble().groupGram(dv, theta, groups);
    }
    requireGradients();
    requireGroupsForBatchNorm(groups);
    synchronized (this) {
      if (perExample && products() instanceof HessianProducts.Exact exact) {
        int[] positions = java.util.Arrays.stream(groups).mapToInt(g -> g[0]).toArray();
        return onExamples(dv, positions, all -> {
          net.setParams(theta);
          return exact.rOperator().exampleGram(all.x()[0], all.y()[0]);
        });
      }
      return blockGram(dv, theta, groups);
    }
  }

  /** the most bytes of gradients {@link #groupGram} keeps at once (the rest is recomputed block by block) */
  static final long GRAM_BUDGET_BYTES = 256L << 20;

  /**
   * The Gram matrix holding one block of gradients at a time: L + L²/(2B) gradients for blocks of B. A block's
   * gradients are the rows of one array K: its inner products are KKᵀ by BLAS's syrk ({@link Gemm#gram}), those with
   * a later group's gradient g are Kg; equal to the pairwise dot products up to rounding.
   */
  private double[][] blockGram(DataView dv, double[] theta, int[][] groups) {
    int l = groups.length;
    int p = net.numParams();
    int block = (int) Math.max(1, Math.min(l, GRAM_BUDGET_BYTES / ((long) net.dataType().width() * p)));
    double[][] gram = new double[l][l];
    for (int from = 0; from < l; from += block) {
      int to = Math.min(l, from + block);
      int start = from;
      INDArray kept = gramRows(to - from, p);
      boolean temporary = (long) net.dataType().width() * (to - from) * p > KEPT_GRAM_BYTES;
      try {
        gradientRows(dv, theta, java.util.Arrays.copyOfRange(groups, from, to), kept);
        double[][] inner = Gemm.gram(kept);
        for (int a = 0; a < inner.length; a++) {
          for (int b = 0; b <= a; b++) {
            gram[start + a][start + b] = inner[a][b];
            gram[start + b][start + a] = inner[a][b];
          }
        }
        if (to < l) {
          groupGradients(dv, theta, java.util.Arrays.copyOfRange(groups, to, l), (k, g, loss) -> {
            double[] d = products(kept, g);
            for (int a = 0; a < d.length; a++) {
              gram[start + a][to + k] = d[a];
              gram[to + k][start + a] = d[a];
            }
          });
        }
      } finally {
        if (temporary) NdArrays.free(kept);
      }
    }
    return gram;
  }

  /**
   * The block of gradients of {@link #blockGram}, kept between calls up to {@link #KEPT_GRAM_BYTES} (allocating the
   * 53 MB of 25 MLP gradients took 26–36 ms, a tenth of the whole estimate).
   */
  private INDArray gramRows;
  static final long KEPT_GRAM_BYTES = 64L << 20;

  /** a c-order [rows, p] block of the network's type: (the first rows of) the kept one, or a new one larger than is kept */
  private INDArray gramRows(int rows, int p) {
    DataType type = net.dataType();
    if ((long) type.width() * rows * p > KEPT_GRAM_BYTES) return Nd4j.createUninitialized(type, new long[] { rows, p }, 'c');
    if (gramRows == null || gramRows.size(0) < rows || gramRows.size(1) != p) {
      NdArrays.free(gramRows);
      gramRows = Nd4j.createUninitialized(type, new long[] { rows, p }, 'c');
    }
    return gramRows.size(0) == rows ? gramRows : gramRows.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
  }

  /** the most examples whose group gradients a dense stack forms in one pass ({@link DenseStack#groupMeanGradients}) */
  static final int GROUP_ROWS = 4096;

  /**
   * Row k of {@code rows} ← the mean gradient of group k (as {@link #groupGradients} gives it), computed straight into
   * the row (of the network's type): no copy through Java arrays.
   */
  private void gradientRows(DataView dv, double[] theta, int[][] groups, INDArray rows) {
    net.setParams(theta);
    DenseStack dense = denseStack();
    if (dense != null) { // a plain dense stack: the groups of up to GROUP_ROWS examples in one pass
      for (int from = 0; from < groups.length;) {
        int to = from;
        int examples = 0;
        do examples += groups[to++].length; while (to < groups.length && examples + groups[to].length <= GROUP_ROWS);
        int[] all = new int[examples];
        int[] sizes = new int[to - from];
        for (int k = from, at = 0; k < to; k++) {
          System.arraycopy(groups[k], 0, all, at, groups[k].length);
          at += groups[k].length;
          sizes[k - from] = groups[k].length;
        }
        // all of rows itself where it can (a whole buffer takes the dense stack's Java pass), else a view of it
        INDArray block = from == 0 && to == rows.size(0) ? rows : rows.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
        onExamples(dv, all, these -> {
          dense.groupMeanGradients(these.x()[0], these.y()[0], sizes, block);
          return null;
        });
        from = to;
      }
      return;
    }
    for (int k = 0; k < groups.length; k++) {
      INDArray row = rows.getRow(k, true);
      onExamples(dv, groups[k], one -> net.meanGradientInto(one, row));
    }
  }

  /** {@code work} on the examples at these positions of the view as one part, whose arrays are freed after it */
  private <T> T onExamples(DataView dv, int[] positions, java.util.function.Function<ExampleView.Parts, T> work) {
    ExampleView.Parts one = own(dv).group(net.dataType(), new int[][] { positions });
    try {
      return work.apply(one);
    } finally {
      NdArrays.free(one.x()[0], one.y()[0]);
    }
  }

  /** Kg: the inner products of g with the rows of K */
  private static double[] products(INDArray k, double[] g) {
    INDArray raw = Nd4j.createFromArray(g);
    INDArray column = raw.reshape(g.length, 1);
    INDArray d = Gemm.nn(k, column);
    double[] out = d.dup('c').data().asDouble();
    NdArrays.free(d, column, raw);
    return out;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  /** a batch-norm group of one example has zero variance: its train-mode statistics are degenerate */
  private void requireGroupsForBatchNorm(int[][] groups) {
    if (!net.network().hasBatchNorm()) return;
    for (int[] g : groups) {
      if (g.length < 2) {
        throw new IllegalArgumentException("per-example gradients of a batch-norm model are undefined in train mode"
            + " (a batch of one example has no variance); use groups of at least 2 examples");
      }
    }
  }

  /**
   * As the API says: exactly by a second-order forward pass for a plain dense stack ({@link DenseHessian}); else
   * by second differences of the examples' losses, ℓ_i(θ ± εe) with ε = u^(1/4)(1 + ‖θ‖)/‖e‖ halved up to six times,
   * each example within its part of the view (its train-mode batch with batch normalisation): an example keeps the
   * central difference of the largest step that agrees to 1e-4 with the next two (a ReLU kink within a step moves the
   * estimate differently at each step); an example at a kink keeps the one-sided difference of the clean side; any
   * other is counted as never agreed ({@link #exampleCurvatureMethod}).
   */
  @Override
  public double[] exampleCurvature(DataView dv, double[] theta, double[] e, int[] positions) {
    if (net.dataType() != DataType.DOUBLE) return inDouble().exampleCurvature(dv, theta, e, positions);
    synchronized (this) {
      double[] u = masked(e);
      if (products() instanceof HessianProducts.Exact exact) {
        ExampleView.Parts these = own(dv).group(net.dataType(), new int[][] { positions });
        INDArray vv = Nd4j.createFromArray(u);
        try {
          net.setParams(theta);
          return exact.rOperator().exampleCurvature(these.x()[0], these.y()[0], vv);
        } finally {
          NdArrays.free(vv, these.x()[0], these.y()[0]);
        }
      }
      return differenceCurvature(dv, theta, u, positions);
    }
  }

  private double[] differenceCurvature(DataView dv, double[] theta, double[] u, int[] positions) {
    ExampleView.Parts parts = probeParts(dv);
    // where each asked position sits among the parts
    java.util.Map<Integer, int[]> at = new java.util.HashMap<>();
    for (int part = 0; part < parts.count(); part++) {
      for (int i = 0; i < parts.positions()[part].length; i++) at.put(parts.positions()[part][i], new int[] { part, i });
    }
    for (int q : positions) {
      if (!at.containsKey(q)) {
        throw new IllegalArgumentException("position " + q + " of the view " + dv.name() + " is in none of its batches"
            + " (a remainder of fewer than S examples is left out in train mode)");
      }
    }
    double norm = Math.sqrt(dot(u, u));
    if (norm == 0) return new double[positions.length];
    double thetaNorm = Math.sqrt(dot(theta, theta));
    double eps = Math.pow(Math.ulp(1.0), 0.25) * (1 + thetaNorm) / norm;
    double[][] center = net.exampleLosses(parts, batchesOfS, theta);
    // f_i(±ε_k) for steps ε_k = ε/2^k: losses along ±u, one row per level
    int levels = CURVATURE_HALVINGS + 1;
    double[][] plus = new double[levels][];
    double[][] minus = new double[levels][];
    double[] c0 = new double[positions.length];
    for (int k = 0; k < levels; k++) {
      double step = eps / (1L << k);
      plus[k] = lossesAlong(parts, theta, u, step, at, positions);
      minus[k] = lossesAlong(parts, theta, u, -step, at, positions);
    }
    for (int i = 0; i < positions.length; i++) {
      int[] pi = at.get(positions[i]);
      c0[i] = center[pi[0]][pi[1]];
    }
    double[] result = new double[positions.length];
    for (int i = 0; i < positions.length; i++) {
      double value = Double.NaN;
      // central second differences, kept at the largest step that agrees with the next two (a kink within the step
      // changes the estimate by O(1/step) differently at each step; rounding grows like 1/step²)
      double[] central = new double[levels];
      for (int k = 0; k < levels; k++) {
        double h = eps / (1L << k);
        central[k] = (plus[k][i] - 2 * c0[i] + minus[k][i]) / (h * h);
      }
      for (int k = 0; k + 2 < levels && Double.isNaN(value); k++) {
        if (agree(central[k], central[k + 1], 1e-4) && agree(central[k + 1], central[k + 2], 1e-4)) value = central[k];
      }
      // a unit at its hinge: every step crosses it on one side; the other side's one-sided difference
      // (f(2h) − 2f(h) + f(0))/h², from the points already computed, is clean there (first order in h)
      for (int k = 1; k + 1 < levels && Double.isNaN(value); k++) {
        double hk = eps / (1L << k);
        double hn = hk / 2;
        double fwk = (plus[k - 1][i] - 2 * plus[k][i] + c0[i]) / (hk * hk);
        double fwn = (plus[k][i] - 2 * plus[k + 1][i] + c0[i]) / (hn * hn);
        double bwk = (minus[k - 1][i] - 2 * minus[k][i] + c0[i]) / (hk * hk);
        double bwn = (minus[k][i] - 2 * minus[k + 1][i] + c0[i]) / (hn * hn);
        if (agree(fwk, fwn, 1e-3)) value = fwn;
        else if (agree(bwk, bwn, 1e-3)) value = bwn;
      }
      if (Double.isNaN(value)) {
        curvatureUnsettled++;
        value = central[levels / 2];
      }
      result[i] = value;
    }
    net.setParams(theta);
    return result;
  }

  private static boolean agree(double a, double b, double tol) {
    return Math.abs(a - b) <= tol * Math.max(Math.max(Math.abs(a), Math.abs(b)), 1e-8);
  }

  /** each listed example's loss at θ + step·u, within its part (its train-mode batch with batch normalisation) */
  private double[] lossesAlong(ExampleView.Parts parts, double[] theta, double[] u, double step,
      java.util.Map<Integer, int[]> at, int[] positions) {
    double[] shifted = new double[theta.length];
    for (int i = 0; i < theta.length; i++) shifted[i] = theta[i] + step * u[i];
    double[][] losses = net.exampleLosses(parts, batchesOfS, shifted);
    double[] out = new double[positions.length];
    for (int k = 0; k < positions.length; k++) {
      int[] pi = at.get(positions[k]);
      out[k] = losses[pi[0]][pi[1]];
    }
    return out;
  }

  /** step halvings per-example curvature tries before it keeps an estimate that never agreed with half its step */
  static final int CURVATURE_HALVINGS = 6;
  private long curvatureUnsettled;

  @Override
  public String exampleCurvatureMethod() {
    if (net.dataType() != DataType.DOUBLE) return inDouble().exampleCurvatureMethod();
    synchronized (this) {
      return products() instanceof HessianProducts.Exact ? "exact (second-order forward pass)"
          : "second differences of the examples' losses, step u^(1/4)(1+|theta|)/|e| halved until it agrees with half"
              + " of it; never agreed: " + curvatureUnsettled;
    }
  }

  private HessianProducts products() {
    if (products == null) products = HessianProducts.of(net, trainable);
    return products;
  }

  @Override
  public synchronized Objective inDouble() {
    if (net.dataType() == DataType.DOUBLE) return this;
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
    return WeightLayout.of(net.network());
  }

  @Override
  public List<ParameterBlock> parameterBlocks() {
    return WeightLayout.blocks(net.network());
  }

  @Override
  public String hessianMethod() {
    if (net.dataType() != DataType.DOUBLE) return inDouble().hessianMethod();
    synchronized (this) {
      return products().describe();
    }
  }

  @Override
  public String batchNormMode() {
    return net.network().hasBatchNorm() ? batchNorm.mode() : "none";
  }

  @Override
  public int batchNormBatchSize() {
    return batchesOfS ? batchNorm.batchSize() : 0;
  }
}
