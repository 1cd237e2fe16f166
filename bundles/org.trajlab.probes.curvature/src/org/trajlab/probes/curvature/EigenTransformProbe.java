package org.trajlab.probes.curvature;

import java.util.LinkedHashMap;
import java.util.Map;

import org.trajlab.api.objective.DataView;
import org.trajlab.api.objective.Objective;
import org.trajlab.api.probe.GradientTransform;
import org.trajlab.api.probe.MetricSink;
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
 * gives {@code start.checkpoint} and the engine does the rest. The state holds the eigenvectors in use (base64
 * doubles, {@link ProbeState#vectorsOf}) so a resumed run transforms exactly as an uninterrupted one, and the cost so far
 * (counts and time) so its summary covers the time before the interruption too.
 */
abstract class EigenTransformProbe implements Probe, GradientTransform {
  private final String id;
  private final Schedule schedule;
  final HessianSettings hs;

  private Objective d;
  private DataView view;
  private long seed;
  /** the eigenvectors in use */
  double[][] vectors;
  long lastComputed = -1;
  /** the epoch of the update whose gradient is being transformed, and of the last computation (0 = none) */
  int epoch;
  int lastComputedEpoch;
  long computations;
  long hvps;
  long nanos;
  long transformed;

  EigenTransformProbe(String id, Schedule schedule, HessianSettings hs) {
    this.id = id;
    this.schedule = schedule;
    this.hs = hs;
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
    d = run.objective().inDouble();
    seed = hs.seed(run);
    view = hs.view(d, seed);
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

  /** g &lt;- the transformed gradient, with {@link #vectors} current */
  abstract void apply(double[] g);

  @Override
  public void transform(long step, int updateEpoch, double[] theta, double[] gradient, RunContext run) {
    epoch = updateEpoch;
    if (vectors == null || recomputeAt(step, run)) compute(step, theta, run);
    apply(gradient);
    transformed++;
  }

  private void compute(long step, double[] theta, RunContext run) {
    long t0 = System.nanoTime();
    Lanczos.Eigenpairs r = Lanczos.topK(HessianSettings.hessian(d, view, theta),
        hs.options(seed, step, d.trainable(), vectors));
    boolean warm = hs.warmStart && vectors != null;
    vectors = r.vectors();
    lastComputed = step;
    lastComputedEpoch = epoch;
    MetricSink out = run.sink(id, step, epoch);
    HessianSettings.record(out, r);
    long dt = System.nanoTime() - t0;
    computations++;
    hvps += r.hvps();
    nanos += dt;
    run.log(String.format(java.util.Locale.ROOT,
        "%s: step %d: eigenvectors in %.2f s, %d HVPs (K=%d by %s, %s start, %d restarts, %d/%d converged at tol %.1e)"
            + ", view %s (%d examples), batch-norm %s, lambda_1 %.6g",
        id, step, dt / 1e9, r.hvps(), r.k(), r.method(), warm ? "warm" : "cold", r.restarts(),
        HessianSettings.convergedCount(r), r.k(), hs.tol, view.name(), view.size(), d.batchNormMode(), r.values()[0]));
  }

  @Override
  public Map<String, Object> finish(RunContext run) {
    run.log(String.format(java.util.Locale.ROOT, "%s: cost %d eigenvector computations, %d HVPs, %.2f s; %d updates transformed",
        id, computations, hvps, nanos / 1e9, transformed));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("computations", computations);
    m.put("hvps", hvps);
    m.put("seconds", nanos / 1e9);
    m.put("transformed", transformed);
    m.put("batch_norm_mode", d == null ? null : d.batchNormMode());
    return m;
  }

  @Override
  public Map<String, Object> saveState() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("vectors", ProbeState.vectorsOf(vectors));
    m.put("lastComputed", lastComputed);
    m.put("lastComputedEpoch", lastComputedEpoch);
    m.put("computations", computations);
    m.put("hvps", hvps);
    m.put("transformed", transformed);
    m.put("nanos", nanos);
    return m;
  }

  @Override
  public void restoreState(Map<String, Object> state) {
    ProbeState s = new ProbeState(state);
    vectors = s.vectors("vectors");
    lastComputed = s.whole("lastComputed");
    lastComputedEpoch = (int) s.whole("lastComputedEpoch", 0);
    computations = s.whole("computations");
    hvps = s.whole("hvps");
    transformed = s.whole("transformed");
    // the probe's time before the interruption, so the summary's seconds cover the whole run (0 from older checkpoints)
    nanos = s.whole("nanos", 0);
  }
}
