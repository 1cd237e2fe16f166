package org.trajlab.probes.lrscan.internal;

import static org.trajlab.probes.lrscan.LrScanQuantities.*;

import java.util.LinkedHashMap;
import java.util.Map;

import org.trajlab.api.objective.DataView;
import org.trajlab.api.objective.Objective;
import org.trajlab.api.probe.MetricSink;
import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.ProbeState;
import org.trajlab.api.probe.RunContext;
import org.trajlab.api.probe.Schedule;
import org.trajlab.api.probe.StepContext;

/**
 * The single-step learning-rate scan of paper 003 (INSTRUMENTS.md §4) at θ_t of each update its schedule names: B is
 * the update's own training batch, B′ a seeded held-out batch of the same size from the rest of the training set
 * (not used for this step), g_B the mean gradient of B at θ_t (by the objective, batch norm as the run's
 * {@code batchNorm} says), and for every λ of the grid it records L_B(θ_t − λg_B) ({@code loss_train_batch}),
 * L_B′(θ_t − λg_B) ({@code loss_heldout_batch}) and L_E(θ_t − λg_B) ({@code loss_train_eval}, E = {@code set}),
 * index λ; then each curve's smallest value over the grid and its λ ({@code loss_…_min}, {@code lambda_…_min}) and
 * ‖g_B‖. The scan never changes the trajectory. In a probe-only run B is a seeded batch of the spec's batch size.
 */
public final class LrScanProbe implements Probe {
  private final Schedule schedule;
  private final String grid;
  private final int points;
  private final double decades;
  /** λ_max in absolute terms, or NaN when it is {@link #lambdaMaxLr} times the update's learning rate */
  private final double lambdaMax;
  private final double lambdaMaxLr;
  private final String set;
  private final Long seedParam;

  private long seed;
  private DataView eval;
  private int trainSize;
  private long scans;
  private long losses;
  private long gradients;
  private long nanos;

  public LrScanProbe(Schedule schedule, String grid, int points, double decades, double lambdaMax, double lambdaMaxLr,
      String set, Long seed) {
    this.schedule = schedule;
    this.grid = grid;
    this.points = points;
    this.decades = decades;
    this.lambdaMax = lambdaMax;
    this.lambdaMaxLr = lambdaMaxLr;
    this.set = set;
    this.seedParam = seed;
  }

  @Override
  public String id() {
    return LRSCAN;
  }

  @Override
  public void start(RunContext run) {
    Objective o = run.objective();
    eval = o.view(set);
    trainSize = o.view("train-full").size();
    seed = seedParam != null ? seedParam : run.spec().seed;
  }

  @Override
  public boolean isDue(long step, int epoch) {
    return schedule.due(step, epoch);
  }

  @Override
  public boolean usesGradients() {
    return true;
  }

  @Override
  public boolean measuresPoints() {
    return true;
  }

  @Override
  public void onStep(StepContext step, RunContext run) {
    scan(step.step(), step.theta(), step.batchIndices(), step.lr(), step.sink(LRSCAN), run);
  }

  @Override
  public void onPoint(long step, int epoch, double[] theta, RunContext run) {
    int[] b = LrScanMath.seededBatch(seed, step, trainSize, run.spec().training.batchSize);
    scan(step, theta, b, run.spec().optimizer.lr, run.sink(LRSCAN, step, epoch), run);
  }

  /** the λ grid of a scan at an update of rate lr */
  double[] lambdas(double lr) {
    double max = Double.isNaN(lambdaMax) ? lambdaMaxLr * lr : lambdaMax;
    return LrScanMath.lambdaGrid(grid, max, points, decades);
  }

  private void scan(long t, double[] theta, int[] batch, double lr, MetricSink sink, RunContext run) {
    long t0 = System.nanoTime();
    Objective o = run.objective();
    DataView b = o.batch("B", batch);
    DataView bPrime = o.batch("B'", LrScanMath.heldOutBatch(seed, t, trainSize, batch.length, batch));
    double[] g = new double[theta.length];
    o.gradient(b, theta, g);
    gradients++;
    double[] lambdas = lambdas(lr);
    double[][] curves = new double[3][lambdas.length];
    for (int i = 0; i < lambdas.length; i++) {
      double[] p = LrScanMath.stepAlong(theta, lambdas[i], g);
      curves[0][i] = o.loss(b, p);
      curves[1][i] = o.loss(bPrime, p);
      curves[2][i] = o.loss(eval, p);
      losses += 3;
    }
    String[] names = { LOSS_TRAIN_BATCH, LOSS_HELDOUT_BATCH, LOSS_TRAIN_EVAL };
    String[][] mins = { { LOSS_TRAIN_BATCH_MIN, LAMBDA_TRAIN_BATCH_MIN }, { LOSS_HELDOUT_BATCH_MIN, LAMBDA_HELDOUT_BATCH_MIN },
        { LOSS_TRAIN_EVAL_MIN, LAMBDA_TRAIN_EVAL_MIN } };
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < lambdas.length; i++) sink.record(names[c], lambdas[i], curves[c][i]);
    }
    for (int c = 0; c < 3; c++) {
      int m = LrScanMath.argmin(curves[c]);
      if (m < 0) continue;
      sink.record(mins[c][0], curves[c][m]);
      sink.record(mins[c][1], lambdas[m]);
    }
    sink.record(GRAD_NORM_BATCH, LrScanMath.norm(g));
    scans++;
    nanos += System.nanoTime() - t0;
  }

  @Override
  public Map<String, Object> finish(RunContext run) {
    run.log(String.format("lrscan: %d scans, %d losses, %d gradients, %.2f s", scans, losses, gradients, nanos / 1e9));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scans", scans);
    m.put("grid", grid);
    m.put("points", points);
    if ("log".equals(grid)) m.put("decades", decades);
    if (Double.isNaN(lambdaMax)) m.put("lambda_max_lr", lambdaMaxLr);
    else m.put("lambda_max", lambdaMax);
    m.put("set", set);
    m.put("seed", seed);
    m.put("held_out_batch", "seeded by (seed, step): the update's batch size of other training examples");
    m.put("batch_norm", run.objective().batchNormMode());
    m.put("losses", losses);
    m.put("gradients", gradients);
    m.put("seconds", nanos / 1e9);
    return m;
  }

  @Override
  public Map<String, Object> saveState() {
    return Map.of("scans", scans, "losses", losses, "gradients", gradients, "nanos", nanos);
  }

  @Override
  public void restoreState(Map<String, Object> state) {
    ProbeState s = new ProbeState(state);
    scans = s.whole("scans", 0);
    losses = s.whole("losses", 0);
    gradients = s.whole("gradients", 0);
    nanos = s.whole("nanos", 0);
  }
}
