package org.trajlab.api.probe;

/**
 * The hook through which a bundle changes each step: a probe that also implements this interface sees the mean
 * mini-batch gradient g_t before the optimizer uses it and may replace it in place (subspace SGD: keep or drop the
 * top Hessian directions; Nudged SGD: g + (gamma - 1) sum_i &lt;g, e_i&gt; e_i). The engine converts g to double only
 * on the steps where {@link #transforms} is true.
 */
public interface GradientTransform {
  /**
   * Whether the gradient of update {@code step} (0-based) is transformed. The engine gives the update's 1-based
   * epoch, which only it knows exactly (with a batch-size schedule an epoch holds a varying number of updates).
   */
  boolean transforms(long step, int epoch);

  /** @param gradient g_t of update {@code step} of 1-based {@code epoch}, to be modified in place */
  void transform(long step, int epoch, double[] theta, double[] gradient, RunContext run) throws Exception;
}
