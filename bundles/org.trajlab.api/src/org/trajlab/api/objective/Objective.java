package org.trajlab.api.objective;

/**
 * The one seam every probe sees: the model's loss as a function of a flat parameter vector, on a data view.
 * Parameter vectors are plain {@code double[]} of length {@link #numParams()} in the engine's fixed layout; the
 * objective never changes the parameters the engine trains with. Losses are MEANS over the view's examples, and
 * so is the gradient (the engine divides DL4J's summed batch gradient by the batch size).
 * <p>
 * Later capabilities (Hessian-vector products in double, per-example gradients) are added here as methods with
 * the same shape: a view, a point, and an output vector.
 */
public interface Objective {
  /** P, the number of parameters */
  int numParams();

  /** {@code train-eval}, {@code test} or {@code train-full}; an unknown name is an IllegalArgumentException */
  DataView view(String name);

  /** a named view of the given training-set indices */
  DataView batch(String name, int[] trainIndices);

  /** mean loss and accuracy at theta */
  Evaluation evaluate(DataView view, double[] theta);

  default double loss(DataView view, double[] theta) {
    return evaluate(view, theta).loss();
  }

  /** writes the mean gradient at theta into {@code out} and returns the mean loss */
  double gradient(DataView view, double[] theta, double[] out);

  /** "float" or "double": the precision losses and gradients are computed in */
  String precision();
}
