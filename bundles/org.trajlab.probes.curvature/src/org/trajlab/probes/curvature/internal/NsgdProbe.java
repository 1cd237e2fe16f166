package org.trajlab.probes.curvature.internal;

import org.trajlab.api.probe.RunContext;
import org.trajlab.api.probe.Schedule;
import org.trajlab.probes.curvature.CurvatureQuantities;

/**
 * Nudged SGD of paper 001 (INSTRUMENTS.md section 2), type {@code nsgd}: the update uses
 * g + (gamma - 1) sum_{i &lt;= K} &lt;g, e_i&gt; e_i (K = {@code k}, default 5), i.e. the learning rate along the top K
 * Hessian eigenvectors is gamma·lr. The eigenvectors are recomputed at the first update of each epoch, or every
 * {@code every} updates when that param is given.
 */
public final class NsgdProbe extends EigenTransformProbe {
  private final double gamma;
  private final int every;

  /** @param every 0 = at the start of each epoch */
  NsgdProbe(Schedule schedule, HessianSettings hs, double gamma, int every) {
    super(CurvatureQuantities.NSGD, schedule, hs);
    this.gamma = gamma;
    this.every = every;
  }

  public double gamma() {
    return gamma;
  }

  @Override
  boolean recomputeAt(long step, RunContext run) {
    if (every > 0) return step - lastComputed >= every;
    return epoch != lastComputedEpoch;
  }

  @Override
  void apply(double[] g) {
    CurvatureMath.nudge(g, vectors(), vectors().length, gamma);
  }
}
