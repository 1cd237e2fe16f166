package org.trajlab.api.objective;

/**
 * The one seam every probe sees: the model's loss as a function of a flat parameter vector, on a data view.
 * Parameter vectors are plain {@code double[]} of length {@link #numParams()} in the engine's fixed layout; the
 * objective never changes the parameters the engine trains with. Losses are MEANS over the view's examples, and
 * so is the gradient (the engine divides DL4J's summed batch gradient by the batch size).
 * <p>
 * Capabilities are methods of the same shape: a view, a point, and an output (Hessian-vector products, gradients of
 * groups of examples streamed one at a time, their Gram matrix, per-example curvature), in DOUBLE where curvature
 * or noise is measured.
 */
public interface Objective {
  /** P, the number of parameters */
  int numParams();

  /** {@code train-eval}, {@code test} or {@code train-full}; an unknown name is an IllegalArgumentException */
  DataView view(String name);

  /** a named view of the given training-set indices */
  DataView batch(String name, int[] trainIndices);

  /**
   * Mean loss and accuracy at theta, as probes measure them: with batch normalisation as {@link #batchNormMode()}
   * says (by default the mean over train-mode batches of the run's batch size, {@link #batchNormBatchSize()}).
   */
  Evaluation evaluate(DataView view, double[] theta);

  default double loss(DataView view, double[] theta) {
    return evaluate(view, theta).loss();
  }

  /**
   * The losses {@link #loss} gives at the points θ^α = (1 − α)θ_0 + αθ_1 of a line, one per α, in order. By default
   * each point is formed and evaluated; an objective may compute them together faster (the engine: a dense stack's
   * first-layer pre-activations are linear in α, so they are blended from the two ends' instead of multiplied out
   * at every α; equal to the pointwise losses up to rounding, and exactly at α = 0 and 1). {@link #lossesAlongMethod}
   * says which.
   */
  default double[] lossesAlong(DataView view, double[] theta0, double[] theta1, double[] alphas) {
    double[] point = new double[theta0.length];
    double[] losses = new double[alphas.length];
    for (int k = 0; k < alphas.length; k++) {
      double alpha = alphas[k];
      for (int i = 0; i < point.length; i++) point[i] = (1 - alpha) * theta0[i] + alpha * theta1[i];
      losses[k] = loss(view, point);
    }
    return losses;
  }

  /** how {@link #lossesAlong} computes its losses, for the run log */
  default String lossesAlongMethod() {
    return "each point's loss";
  }

  /**
   * Mean loss and accuracy at theta as the {@code eval} rows measure them (a deployed model's numbers): batch
   * normalisation with the running statistics that theta holds, over the whole view, whatever
   * {@link #batchNormMode()} says. Without batch normalisation this is {@link #evaluate}.
   */
  default Evaluation evaluateInference(DataView view, double[] theta) {
    if (!"none".equals(batchNormMode())) {
      throw new UnsupportedOperationException("this objective has no inference-mode evaluation");
    }
    return evaluate(view, theta);
  }

  /**
   * theta with the running mean and variance of every batch-norm layer RECOMPUTED on {@code trainData}, as
   * torch.optim.swa_utils.update_bn does for an averaged model: one forward pass in train mode over a seeded
   * partition of the view into batches of the run's batch size (a remainder is left out), each layer's statistics the
   * exact mean of its batch statistics (momentum = cumulative average), each batch normalised with its own statistics.
   * The variance is the one the model's own running statistic tracks (DL4J: the batch's population variance). Every
   * other entry is theta's. Without batch normalisation: a copy of theta.
   */
  default double[] withRecomputedBatchNorm(double[] theta, DataView trainData) {
    if (!"none".equals(batchNormMode())) {
      throw new UnsupportedOperationException("this objective cannot recompute batch-norm statistics");
    }
    return theta.clone();
  }

  /**
   * Writes the mean gradient at theta into {@code out} and returns the mean loss (batch normalisation as
   * {@link #batchNormMode()} says; unavailable in "inference" mode).
   */
  double gradient(DataView view, double[] theta, double[] out);

  /**
   * The mean gradient of each group of the view's examples at theta, in DOUBLE, handed to {@code sink} one group at a
   * time in group order, so that no more than a few gradients are ever held: {@code groups[k]} lists positions in
   * the view (0 .. size − 1); a group of one position gives that example's own gradient. Batch normalisation
   * normalises each group with its own statistics, so a batch-norm model refuses groups of one example (their
   * statistics are degenerate). Entries that are not {@link #trainable()} are 0.
   */
  default void groupGradients(DataView view, double[] theta, int[][] groups, GradientSink sink) {
    throw new UnsupportedOperationException("this objective has no group gradients");
  }

  /**
   * G[a][b] = ⟨g_a, g_b⟩ for the mean gradients of every pair of groups (as {@link #groupGradients}), the raw Gram
   * matrix, not centred, as doubles: in DOUBLE for an objective in double ({@link #inDouble()}); a FLOAT objective
   * may form the gradients and their products in FLOAT (the Dl4j engine does for groups of several examples).
   * Implementations need not form the gradients: for per-example gradients of a dense network the inner products
   * follow from each layer's activations and back-propagated errors.
   */
  default double[][] groupGram(DataView view, double[] theta, int[][] groups) {
    double[][] kept = new double[groups.length][];
    groupGradients(view, theta, groups, (k, g, loss) -> kept[k] = g.clone());
    double[][] gram = new double[groups.length][groups.length];
    for (int a = 0; a < kept.length; a++) {
      for (int b = 0; b <= a; b++) {
        double s = 0;
        for (int i = 0; i < kept[a].length; i++) s += kept[a][i] * kept[b][i];
        gram[a][b] = s;
        gram[b][a] = s;
      }
    }
    return gram;
  }

  /**
   * The curvature of each listed example's own loss along {@code e} at theta: eᵀH_i e with H_i the Hessian of
   * example i's loss (positions in the view), in DOUBLE; the mean over all the view's examples is eᵀHe. Paper 004's
   * s² (the break-even point) is their variance.
   */
  default double[] exampleCurvature(DataView view, double[] theta, double[] e, int[] positions) {
    throw new UnsupportedOperationException("this objective has no per-example curvature");
  }

  /** how {@link #exampleCurvature} is formed (exact or by checked differences, and how many never agreed), for logs */
  default String exampleCurvatureMethod() {
    return "unknown";
  }

  /**
   * The model's predicted class probabilities (its softmax output) for every example of the view at theta, in view
   * order: {@code p[i][c]} for example i and class c, each row summing to 1. Always the deployed model's prediction:
   * batch normalisation with its running statistics (inference mode), whatever {@link #batchNormMode()} says, as the
   * {@code eval} rows are measured. Paper 004's trajectory embedding compares these along the trajectory.
   */
  default double[][] probabilities(DataView view, double[] theta) {
    throw new UnsupportedOperationException("this objective has no predicted probabilities");
  }

  /** "float" or "double": the precision losses and gradients are computed in */
  String precision();

  /**
   * The Hessian-vector product {@code out = H(theta) v} of the mean loss on the view; returns the mean loss at theta.
   * Always computed in DOUBLE, whatever {@link #precision()} says (training may run in FLOAT; curvature never
   * does), with batch normalisation as {@link #batchNormMode()} says. Entries of {@code v} that are not
   * {@link #trainable()} are ignored and those of {@code out} are 0. How the product is formed (exact or central
   * finite differences, and the step) is written to the run log by the implementation.
   */
  default double hessianVector(DataView view, double[] theta, double[] v, double[] out) {
    throw new UnsupportedOperationException("this objective has no Hessian-vector products");
  }

  /** how {@link #hessianVector} forms its products, for the run log ("exact (R-operator)", "central differences ...") */
  default String hessianMethod() {
    return "unknown";
  }

  /**
   * This objective computed in DOUBLE: the same views and parameter layout (this object itself when
   * {@link #precision()} is already "double"). Curvature probes take their losses and gradients from it too.
   */
  default Objective inDouble() {
    if ("double".equals(precision())) return this;
    throw new UnsupportedOperationException("this objective has no double-precision twin");
  }

  /**
   * Which entries of theta are parameters of the loss. False marks entries that hold statistics (the running mean
   * and variance of batch normalisation): their gradient and Hessian entries are 0, a step never moves them, and a
   * probe's random or direction vectors should be 0 there. All true for models without such statistics.
   */
  default boolean[] trainable() {
    boolean[] all = new boolean[numParams()];
    java.util.Arrays.fill(all, true);
    return all;
  }

  /** the model's weight matrices in the flat layout (dense and convolution kernels), in layer order */
  default java.util.List<WeightMatrix> weightMatrices() {
    return java.util.List.of();
  }

  /**
   * Every named parameter of the model in the flat layout (weights, biases, batch-norm scales, shifts and
   * statistics), by offset; empty when the objective does not know its layout.
   */
  default java.util.List<ParameterBlock> parameterBlocks() {
    return java.util.List.of();
  }

  /**
   * How batch normalisation enters every probe quantity ({@link #evaluate}, {@link #gradient},
   * {@link #hessianVector}): "train" (the default, INSTRUMENTS.md: the view is cut into a fixed seeded partition of
   * batches of {@link #batchNormBatchSize()} examples, each normalised with its own statistics, as SGD experiences
   * them, and every quantity is the mean over those batches), "inference" (the running statistics; losses and
   * accuracies only) or "none" when the model has no batch normalisation. Probes record this mode with their results.
   */
  default String batchNormMode() {
    return "none";
  }

  /** S, the size of the train-mode batches of {@link #batchNormMode()} "train"; 0 in the other modes */
  default int batchNormBatchSize() {
    return 0;
  }
}
