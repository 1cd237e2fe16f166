package org.trajlab.probes.curvature.internal;

import org.trajlab.api.probe.RunContext;
import org.trajlab.api.probe.Schedule;
import org.trajlab.probes.curvature.CurvatureQuantities;

/**
 * Subspace SGD of paper 001 (INSTRUMENTS.md section 2), type {@code subspace}, with {@code mode}:
 * <ul>
 * <li>{@code top-only}: g &lt;- &lt;g, e_1&gt; e_1 with e_1 of the Hessian at theta_t;</li>
 * <li>{@code constant-top}: g &lt;- &lt;g, e_1(0)&gt; e_1(0), e_1 frozen at the first transformed update;</li>
 * <li>{@code no-top}: g &lt;- g - &lt;g, e_1&gt; e_1.</li>
 * </ul>
 * e_1 is recomputed every {@code every} updates (default 1, as in the paper) for top-only and no-top.
 */
public final class SubspaceProbe extends EigenTransformProbe {
  private final String mode;
  private final int every;

  SubspaceProbe(Schedule schedule, HessianSettings hs, String mode, int every) {
    super(CurvatureQuantities.SUBSPACE, schedule, hs);
    this.mode = mode;
    this.every = every;
  }

  public String mode() {
    return mode;
  }

  @Override
  boolean recomputeAt(long step, RunContext run) {
    if (mode.equals("constant-top")) return false;
    return step - lastComputed >= every;
  }

  @Override
  void apply(double[] g) {
    if (mode.equals("no-top")) CurvatureMath.removeTop(g, vectors()[0]);
    else CurvatureMath.keepTop(g, vectors()[0]);
  }
}
