package org.trajlab.api.objective;

/**
 * The one seam every probe sees: the model's loss as a function of a flat parameter vector, on a data view.
 * Parameter vectors are plain {@code double[]} of length {@link #numParams()} in the engine's fixed layout; the
 * objective never changes the parameters the engine trains with. Losses are MEANS over the view's examples, and
 * so is the gradient (the engine divides DL4J's summed batch gradient by the batch size).
 * <p>
 * Capabilities are methods of the same shape: a view, a point, and an output vector (Hessian-vector products in
 * double here; per-example gradients for the noise instruments later).
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
   * Writes the mean gradient at theta into {@code out} and returns the mean loss (batch normalisation as
   * {@link #batchNormMode()} says; unavailable in "inference" mode).
   */
  double gradient(DataView view, double[] theta, double[] out);

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
