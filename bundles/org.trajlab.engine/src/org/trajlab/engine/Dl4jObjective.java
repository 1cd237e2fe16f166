package org.trajlab.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.nd4j.linalg.api.buffer.DataType;
import org.trajlab.api.objective.DataView;
import org.trajlab.api.objective.Evaluation;
import org.trajlab.api.objective.Objective;
import org.trajlab.api.objective.WeightMatrix;
import org.trajlab.engine.data.ImageSet;
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

  /** mean loss and accuracy as probes measure them: train-mode batches of S on a model with batch normalisation */
  @Override
  public synchronized Evaluation evaluate(DataView dv, double[] theta) {
    return net.evaluate(probeParts(dv), batchesOfS, theta);
  }

  /** mean loss and accuracy with batch normalisation's running statistics over the whole view (the eval rows) */
  public synchronized Evaluation evaluateInference(DataView dv, double[] theta) {
    return net.evaluate(own(dv).parts(net.dataType(), new ExampleView.Partition(chunk, false, 0)), false, theta);
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
      double[] u = v.clone();
      for (int i = 0; i < p; i++) {
        if (!trainable[i]) u[i] = 0;
      }
      return products().product(probeParts(dv), own(dv), theta, u, out);
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
