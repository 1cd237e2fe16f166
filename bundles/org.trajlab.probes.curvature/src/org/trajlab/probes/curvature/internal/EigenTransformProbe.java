package org.trajlab.probes.curvature.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.trajlab.api.probe.GradientTransform;
import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.ProbeState;
import org.trajlab.api.probe.RunContext;
import org.trajlab.api.probe.Schedule;
import org.trajlab.api.probe.StepContext;

/**
 * A change of the update built on top Hessian eigenvectors (paper 001, INSTRUMENTS.md section 2): on every update
 * its schedule selects, the mini-batch gradient is transformed with eigenvectors of the Hessian at theta_t, which
 * are recomputed when {@link #recomputeAt} says so. Each computation writes the probe's {@code hessian_eig},
 * {@code hessian_eig_residual}, {@code hessian_eig_converged} (i) and {@code hessian_frobenius_top5} rows at that
 * step, and its cost to the run log. It needs updates (no probe-only runs); to restart from a checkpoint, a run
 * gives {@code start.checkpoint} and the engine does the rest. The state holds the eigenvectors in use and the cost
 * so far ({@link EigenTracker}), so a resumed run transforms exactly as an uninterrupted one and its summary covers
 * the time before the interruption too, and when they were last computed.
 */
abstract class EigenTransformProbe implements Probe, GradientTransform {
  private final String id;
  private final Schedule schedule;
  private final EigenTracker eigen;

  long lastComputed = -1;
  /** the epoch of the update whose gradient is being transformed, and of the last computation (0 = none) */
  int epoch;
  int lastComputedEpoch;
  long transformed;

  EigenTransformProbe(String id, Schedule schedule, HessianSettings hs) {
    this.id = id;
    this.schedule = schedule;
    this.eigen = new EigenTracker(hs, "computations");
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public boolean usesGradients() {
    return true;
  }

  @Override
  public void start(RunContext run) {
    eigen.start(run);
  }

  /** the probe writes its rows from {@link #transform}; nothing is measured after the update */
  @Override
  public boolean isDue(long step, int epoch) {
    return false;
  }

  @Override
  public void onStep(StepContext step, RunContext run) {
  }

  @Override
  public boolean transforms(long step, int updateEpoch) {
    return schedule.due(step, updateEpoch);
  }

  /** whether the eigenvectors are recomputed before transforming the gradient of update {@code step} */
  abstract boolean recomputeAt(long step, RunContext run);

  /** g &lt;- the transformed gradient, with {@link #vectors()} current */
  abstract void apply(double[] g);

  /** the eigenvectors in use (e_1 first) */
  double[][] vectors() {
    return eigen.vectors();
  }

  @Override
  public void transform(long step, int updateEpoch, double[] theta, double[] gradient, RunContext run) {
    epoch = updateEpoch;
    if (eigen.vectors() == null || recomputeAt(step, run)) compute(step, theta, run);
    apply(gradient);
    transformed++;
  }

  private void compute(long step, double[] theta, RunContext run) {
    long t0 = System.nanoTime();
    Lanczos.Eigenpairs r = eigen.compute(eigen.hessian(theta), step);
    lastComputed = step;
    lastComputedEpoch = epoch;
    EigenTracker.record(run.sink(id, step, epoch), r);
    long dt = System.nanoTime() - t0;
    eigen.charge(r.hvps(), dt);
    run.log(String.format(Locale.ROOT, "%s: step %d: eigenvectors in %.2f s, %d HVPs (%s), %s, lambda_1 %.6g", id, step,
        dt / 1e9, r.hvps(), eigen.describe(r), eigen.where(), r.values()[0]));
  }

  @Override
  public Map<String, Object> finish(RunContext run) {
    run.log(String.format(Locale.ROOT, "%s: cost %d eigenvector computations, %d HVPs, %.2f s; %d updates transformed",
        id, eigen.count(), eigen.hvps(), eigen.seconds(), transformed));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("computations", eigen.count());
    m.put("hvps", eigen.hvps());
    m.put("seconds", eigen.seconds());
    m.put("transformed", transformed);
    m.put("batch_norm_mode", eigen.batchNormMode());
    return m;
  }

  @Override
  public Map<String, Object> saveState() {
    Map<String, Object> m = eigen.save();
    m.put("lastComputed", lastComputed);
    m.put("lastComputedEpoch", lastComputedEpoch);
    m.put("transformed", transformed);
    return m;
  }

  @Override
  public void restoreState(Map<String, Object> state) {
    ProbeState s = eigen.restore(state);
    lastComputed = s.whole("lastComputed");
    lastComputedEpoch = (int) s.whole("lastComputedEpoch", 0);
    transformed = s.whole("transformed");
  }
}
