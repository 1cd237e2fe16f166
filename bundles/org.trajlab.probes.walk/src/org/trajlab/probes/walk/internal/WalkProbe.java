package org.trajlab.probes.walk.internal;

import static org.trajlab.probes.walk.WalkQuantities.*;

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
 * The walk of paper 000 on a schedule of updates. For each due update t it records, at step t: the loss along the
 * update's line ({@code loss_interp}, index alpha), {@code valley_floor} and {@code valley_alpha}, {@code height},
 * {@code barrier} (0/1), {@code barrier_height} and {@code barrier_height_rel} (relative to L(theta_t); both 0
 * without a barrier), {@code cos_consecutive_grad}, {@code dist_from_init} and {@code param_norm} (both at theta_t).
 * A barrier counts only above the relative tolerance {@code barrierTol} ({@link WalkMath#crossesBarrier}; default by
 * the objective's precision, {@link WalkMath#defaultBarrierTol}). After each epoch with walks, at the epoch's last
 * step: {@code walks_epoch} (the count n), {@code height_epoch_mean}, and when n &gt;= 2 the SAMPLE (n - 1)
 * {@code height_epoch_std} and {@code height_epoch_var} (paper 000's Tables 2-3 give a "±" that may be either);
 * {@code barrier_count_epoch}, {@code barrier_height_rel_epoch_mean} (when there were barriers). The summary gives
 * the whole run's {@code mean_height}, sample {@code height_std} and {@code height_var}, and {@code barrier_tol}.
 * The state (for resume) carries the epoch's heights, the run's counts and the probe's time so far, so a resumed run
 * writes the same rows and its summary's seconds include the time before the interruption.
 */
public final class WalkProbe implements Probe {
  private final Schedule schedule;
  private final int interior;
  private final String set;
  private final double[] alphas;
  /** the relative barrier tolerance given in the params, or null for the precision's default */
  private final Double barrierTolParam;
  /** the tolerance in use (resolved at start) */
  private double barrierTol = Double.NaN;

  private DataView view;
  private double[] theta0;
  /** the entries that are parameters (null: all); batch-norm statistics are left out of distances and norms */
  private boolean[] trainable;
  // per-epoch accumulators
  private double[] heights = new double[64];
  private int walksInEpoch;
  private int barriersInEpoch;
  private double barrierRelSum;
  // whole run
  private long walks;
  private long barriers;
  private double heightSum;
  /** sum of squared deviations of all heights from their mean (Welford); NaN when unknown (an older checkpoint) */
  private double heightM2;
  private long lossEvaluations;
  private long nanos;

  /** @param barrierTol the relative barrier tolerance, or null for {@link WalkMath#defaultBarrierTol} */
  public WalkProbe(Schedule schedule, int interior, String set, Double barrierTol) {
    this.schedule = schedule;
    this.interior = interior;
    this.set = set;
    this.alphas = WalkMath.alphaGrid(interior);
    this.barrierTolParam = barrierTol;
  }

  @Override
  public String id() {
    return WALK;
  }

  @Override
  public void start(RunContext run) {
    view = run.objective().view(set);
    theta0 = run.theta0();
    boolean[] t = run.objective().trainable();
    boolean all = true;
    for (boolean b : t) all &= b;
    trainable = all ? null : t;
    barrierTol = barrierTolParam != null ? barrierTolParam : WalkMath.defaultBarrierTol(run.objective().precision());
  }

  /** the relative barrier tolerance in use (NaN before {@link #start}) */
  public double barrierTol() {
    return barrierTol;
  }

  @Override
  public boolean isDue(long step, int epoch) {
    return schedule.due(step, epoch);
  }

  @Override
  public void onStep(StepContext step, RunContext run) {
    long t0 = System.nanoTime();
    Objective f = run.objective();
    double[] theta = step.theta();
    double[] next = step.thetaNext();
    double[] losses = f.lossesAlong(view, theta, next, alphas);
    lossEvaluations += alphas.length;
    int fi = WalkMath.floorIndex(losses);
    double floor = losses[fi];
    double height = WalkMath.heightAboveFloor(losses[0], losses[losses.length - 1], floor);
    boolean crosses = WalkMath.crossesBarrier(losses, barrierTol);
    double barrier = WalkMath.barrierHeight(losses, barrierTol);

    MetricSink out = step.sink(WALK);
    for (int i = 0; i < alphas.length; i++) {
      out.record(LOSS_INTERP, alphas[i], losses[i]);
    }
    out.record(VALLEY_FLOOR, floor);
    out.record(VALLEY_ALPHA, alphas[fi]);
    out.record(HEIGHT, height);
    out.record(BARRIER, crosses ? 1 : 0);
    out.record(BARRIER_HEIGHT, barrier);
    out.record(BARRIER_HEIGHT_REL, barrier / losses[0]);
    if (step.previousGradient() != null) {
      out.record(COS_CONSECUTIVE_GRAD, WalkMath.cosine(step.previousGradient(), step.gradient()));
    }
    out.record(DIST_FROM_INIT, WalkMath.distance(theta, theta0, trainable));
    out.record(PARAM_NORM, WalkMath.distance(theta, null, trainable));

    if (walksInEpoch == heights.length) {
      heights = java.util.Arrays.copyOf(heights, 2 * heights.length);
    }
    heights[walksInEpoch++] = height;
    if (crosses) {
      barriersInEpoch++;
      barrierRelSum += barrier / losses[0];
    }
    double meanBefore = walks == 0 ? height : heightSum / walks;
    walks++;
    heightSum += height;
    heightM2 = WalkMath.addToSquaredDeviations(heightM2, meanBefore, heightSum / walks, height);
    if (crosses) {
      barriers++;
    }
    nanos += System.nanoTime() - t0;
  }

  @Override
  public void onEpochEnd(int epoch, long step, RunContext run) {
    if (walksInEpoch == 0) {
      return;
    }
    MetricSink out = run.sink(WALK, step, epoch);
    int n = walksInEpoch;
    double mean = WalkMath.mean(heights, n);
    out.record(WALKS_EPOCH, n);
    out.record(HEIGHT_EPOCH_MEAN, mean);
    String spread = "one walk: no spread";
    if (n >= 2) {
      double var = WalkMath.sampleVariance(heights, n);
      double std = WalkMath.sampleStd(heights, n);
      out.record(HEIGHT_EPOCH_STD, std);
      out.record(HEIGHT_EPOCH_VAR, var);
      spread = String.format(java.util.Locale.ROOT, "sample std %.3g, var %.3g", std, var);
    }
    out.record(BARRIER_COUNT_EPOCH, barriersInEpoch);
    if (barriersInEpoch > 0) {
      out.record(BARRIER_HEIGHT_REL_EPOCH_MEAN, barrierRelSum / barriersInEpoch);
    }
    run.log(String.format(java.util.Locale.ROOT, "walk: epoch %d: %d walks, mean height %.4g (%s), %d barriers "
        + "(relative tolerance %.1e)", epoch, n, mean, spread, barriersInEpoch, barrierTol));
    walksInEpoch = 0;
    barriersInEpoch = 0;
    barrierRelSum = 0;
  }

  @Override
  public Map<String, Object> finish(RunContext run) {
    run.log(String.format(java.util.Locale.ROOT,
        "walk: cost %d walks, %d loss evaluations on %s (%d examples), %.2f s (%.1f ms per walk); %d barriers at "
            + "relative tolerance %.1e (%s); losses along each update by %s",
        walks, lossEvaluations, set, view.size(), nanos / 1e9, walks == 0 ? 0 : nanos / 1e6 / walks, barriers,
        barrierTol, barrierTolParam != null ? "barrierTol" : "default for " + run.objective().precision(),
        run.objective().lossesAlongMethod()));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("walks", walks);
    m.put("points_per_walk", alphas.length);
    m.put("set", set);
    m.put("mean_height", walks == 0 ? null : heightSum / walks);
    boolean spread = walks >= 2 && !Double.isNaN(heightM2);
    m.put("height_std", spread ? Math.sqrt(heightM2 / (walks - 1)) : null);
    m.put("height_var", spread ? heightM2 / (walks - 1) : null);
    m.put("barriers", barriers);
    m.put("barrier_tol", barrierTol);
    m.put("loss_evaluations", lossEvaluations);
    m.put("seconds", nanos / 1e9);
    m.put("ms_per_walk", walks == 0 ? null : nanos / 1e6 / walks);
    return m;
  }

  @Override
  public Map<String, Object> saveState() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("heights", ProbeState.listOf(heights, walksInEpoch));
    m.put("barriersInEpoch", barriersInEpoch);
    m.put("barrierRelSum", barrierRelSum);
    m.put("walks", walks);
    m.put("barriers", barriers);
    m.put("heightSum", heightSum);
    m.put("heightM2", Double.isNaN(heightM2) ? null : heightM2);
    m.put("lossEvaluations", lossEvaluations);
    m.put("nanos", nanos);
    return m;
  }

  @Override
  public void restoreState(Map<String, Object> state) {
    ProbeState s = new ProbeState(state);
    double[] h = s.numbers("heights");
    heights = java.util.Arrays.copyOf(h, Math.max(64, h.length * 2));
    walksInEpoch = h.length;
    barriersInEpoch = (int) s.whole("barriersInEpoch");
    barrierRelSum = s.number("barrierRelSum");
    walks = s.whole("walks");
    barriers = s.whole("barriers");
    heightSum = s.number("heightSum");
    // a checkpoint older than this key: the whole run's spread is unknown (summary null)
    heightM2 = s.number("heightM2", walks == 0 ? 0 : Double.NaN);
    lossEvaluations = s.whole("lossEvaluations");
    // the probe's time before the interruption, so the summary's seconds cover the whole run (0 from older checkpoints)
    nanos = s.whole("nanos", 0);
  }

  public int interiorPoints() {
    return interior;
  }
}
