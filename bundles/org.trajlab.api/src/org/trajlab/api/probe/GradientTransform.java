package org.trajlab.api.probe;

/**
 * The hook through which a bundle changes each step: a probe that also implements this interface sees the mean
 * mini-batch gradient g_t before the optimizer uses it and may replace it in place (subspace SGD: keep or drop the
 * top Hessian directions; Nudged SGD: g + (gamma - 1) sum_i &lt;g, e_i&gt; e_i). The engine converts g to double only
 * on the steps where {@link #transforms(long)} is true.
 */
public interface GradientTransform {
  boolean transforms(long step);

  /** @param gradient g_t, to be modified in place */
  void transform(long step, double[] theta, double[] gradient, RunContext run) throws Exception;

  /** as {@link #transforms(long)}, knowing the update's 1-based epoch (the engine calls this one) */
  default boolean transforms(long step, int epoch) {
    return transforms(step);
  }

  /** as {@link #transform(long, double[], double[], RunContext)}, knowing the update's 1-based epoch (the engine calls this one) */
  default void transform(long step, int epoch, double[] theta, double[] gradient, RunContext run) throws Exception {
    transform(step, theta, gradient, run);
  }
}
