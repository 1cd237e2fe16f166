package org.trajlab.probes.curvature.internal;

import static org.trajlab.probes.curvature.CurvatureQuantities.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.trajlab.api.objective.DataView;
import org.trajlab.api.probe.MetricSink;
import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.ProbeState;
import org.trajlab.api.probe.RunContext;
import org.trajlab.api.probe.Schedule;
import org.trajlab.api.probe.StepContext;

/**
 * Endpoint sharpness at the best-validation point as well as the last (paper 002 §3, INSTRUMENTS.md §3): after each
 * update its schedule names, and always after the run's last update, the probe measures the monitored validation
 * quantity at θ_{t+1} ({@code monitor}, e.g. {@code acc_test}: accuracy on {@code test}, higher is better; losses lower)
 * through the objective, and keeps a copy of the best point (in its checkpoint state, bit for bit). After the last
 * update it computes the top-K Hessian eigenpairs (the curvature bundle's Lanczos, in DOUBLE, on the curvature
 * probe's Hessian subset) at the best point and at θ_T, and writes λ_i and ‖H‖_F ≈ sqrt(Σ_{i≤5} λ_i²) of both, as
 * rows at step T and in summary.json.
 */
public final class EndpointProbe implements Probe {
  private final Schedule schedule;
  private final HessianSettings hs;
  private final String set;
  private final boolean higherIsBetter;
  private final String monitorName;

  private EigenTracker eigen;
  private DataView validation;
  private long lastUpdate = -1;
  private double[] best;
  private long bestStep = -1;
  private double bestValue = Double.NaN;
  private Map<String, Object> bestSummary;
  private Map<String, Object> lastSummary;
  private long nanos;

  /** @param monitor {@code acc_…} or {@code loss_…} of a set ({@code test}, {@code held_out}, {@code train_eval}) */
  public EndpointProbe(Schedule schedule, HessianSettings hs, String monitor) {
    this.schedule = schedule;
    this.hs = hs;
    this.monitorName = monitor;
    this.higherIsBetter = monitor.startsWith("acc_");
    this.set = monitor.substring(monitor.indexOf('_') + 1).replace('_', '-');
  }

  @Override
  public String id() {
    return ENDPOINT;
  }

  @Override
  public void start(RunContext run) {
    eigen = new EigenTracker(hs, "endpoint");
    eigen.start(run);
    validation = run.objective().view(set);
    lastUpdate = run.totalSteps() - 1;
  }

  @Override
  public boolean isDue(long step, int epoch) {
    return schedule.due(step, epoch) || step == lastUpdate;
  }

  @Override
  public boolean usesGradients() {
    return true;
  }

  /** whether {@code value} improves on {@code best} (NaN never does; anything improves on a NaN best) */
  static boolean better(double value, double best, boolean higherIsBetter) {
    if (Double.isNaN(value)) return false;
    if (Double.isNaN(best)) return true;
    return higherIsBetter ? value > best : value < best;
  }

  @Override
  public void onStep(StepContext step, RunContext run) {
    long t0 = System.nanoTime();
    long at = step.step() + 1;
    double[] theta = step.thetaNext();
    var e = run.objective().evaluate(validation, theta);
    double value = higherIsBetter ? e.accuracy() : e.loss();
    MetricSink sink = run.sink(ENDPOINT, at, step.epoch());
    sink.record(MONITOR, value);
    if (better(value, bestValue, higherIsBetter)) {
      best = theta.clone();
      bestStep = at;
      bestValue = value;
    }
    if (step.step() == lastUpdate) {
      sink.record(BEST_STEP, bestStep);
      sink.record(BEST_MONITOR, bestValue);
      bestSummary = sharpness(best, bestStep, HESSIAN_EIG_BEST, HESSIAN_FROBENIUS_TOP5_BEST, sink);
      bestSummary.put("step", bestStep);
      bestSummary.put(monitorName, bestValue);
      lastSummary = sharpness(theta, at, HESSIAN_EIG_LAST, HESSIAN_FROBENIUS_TOP5_LAST, sink);
      lastSummary.put("step", at);
      lastSummary.put(monitorName, value);
    }
    nanos += System.nanoTime() - t0;
  }

  private Map<String, Object> sharpness(double[] theta, long at, String eigName, String frobName, MetricSink sink) {
    long t0 = System.nanoTime();
    HessianOperator.Counting h = new HessianOperator.Counting(eigen.hessian(theta));
    Lanczos.Eigenpairs r = Lanczos.topK(h, hs.options(eigen.seed(), at, eigen.mask(), null));
    eigen.charge(h.products(), System.nanoTime() - t0);
    for (int i = 0; i < r.k(); i++) sink.record(eigName, i + 1, r.values()[i]);
    double frob = CurvatureMath.frobeniusTop5(r.values());
    sink.record(frobName, frob);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lambda_1", r.values()[0]);
    m.put("hessian_frobenius_top5", frob);
    m.put("hessian_eig", ProbeState.listOf(r.values(), r.k()));
    m.put("hessian_eig_residual", ProbeState.listOf(r.residuals(), r.k()));
    m.put("hvps", h.products());
    return m;
  }

  @Override
  public Map<String, Object> finish(RunContext run) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("monitor", monitorName);
    m.put("validation", "through the objective: batch norm as batchNorm.mode says");
    m.put("view", eigen == null || eigen.view() == null ? null : eigen.view().name());
    m.put("view_size", eigen == null || eigen.view() == null ? null : eigen.view().size());
    m.put("best", bestSummary);
    m.put("last", lastSummary);
    m.put("seconds", nanos / 1e9);
    run.log(String.format("endpoint: best %s %.6g at update %d; %.2f s", monitorName, bestValue, bestStep, nanos / 1e9));
    return m;
  }

  @Override
  public Map<String, Object> saveState() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bestStep", bestStep);
    m.put("bestValue", Double.isNaN(bestValue) ? "NaN" : bestValue);
    m.put("best", best == null ? List.of() : ProbeState.vectorsOf(new double[][] { best }));
    m.put("nanos", nanos);
    return m;
  }

  @Override
  public void restoreState(Map<String, Object> state) {
    ProbeState s = new ProbeState(state);
    bestStep = s.whole("bestStep", -1);
    bestValue = s.number("bestValue", Double.NaN);
    double[][] b = s.vectors("best");
    best = b == null ? null : b[0];
    nanos = s.whole("nanos", 0);
  }
}
