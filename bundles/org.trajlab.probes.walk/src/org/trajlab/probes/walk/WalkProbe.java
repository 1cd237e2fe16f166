package org.trajlab.probes.walk;

import java.util.LinkedHashMap;
import java.util.Map;

import org.trajlab.api.objective.DataView;
import org.trajlab.api.objective.Objective;
import org.trajlab.api.probe.MetricSink;
import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.RunContext;
import org.trajlab.api.probe.Schedule;
import org.trajlab.api.probe.StepContext;

/**
 * The walk of paper 000 on a schedule of updates. For each due update t it records, at step t: the loss along the
 * update's line ({@code loss_interp}, index alpha), {@code valley_floor} and {@code valley_alpha}, {@code height},
 * {@code barrier} (0/1), {@code barrier_height} and {@code barrier_height_rel} (relative to L(theta_t)),
 * {@code cos_consecutive_grad}, {@code dist_from_init} and {@code param_norm} (both at theta_t). After each epoch
 * with walks: {@code walks_epoch}, {@code height_epoch_mean}, {@code height_epoch_std},
 * {@code barrier_count_epoch}, {@code barrier_height_rel_epoch_mean}.
 */
public final class WalkProbe implements Probe {
  public static final String ID = "walk";

  private final Schedule schedule;
  private final int interior;
  private final String set;
  private final double[] alphas;

  private DataView view;
  private double[] theta0;
  /** the entries that are parameters (null: all); batch-norm statistics are left out of distances and norms */
  private boolean[] trainable;
  private double[] point;
  // per-epoch accumulators
  private double[] heights = new double[64];
  private int walksInEpoch;
  private int barriersInEpoch;
  private double barrierRelSum;
  // whole run
  private long walks;
  private long barriers;
  private double heightSum;
  private long lossEvaluations;
  private long nanos;

  public WalkProbe(Schedule schedule, int interior, String set) {
    this.schedule = schedule;
    this.interior = interior;
    this.set = set;
    this.alphas = WalkMath.alphaGrid(interior);
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public void start(RunContext run) {
    view = run.objective().view(set);
    theta0 = run.theta0();
    point = new double[theta0.length];
    boolean[] t = run.objective().trainable();
    boolean all = true;
    for (boolean b : t) all &= b;
    trainable = all ? null : t;
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
    double[] losses = new double[alphas.length];
    for (int i = 0; i < alphas.length; i++) {
      WalkMath.interpolate(theta, next, alphas[i], point);
      losses[i] = f.loss(view, point);
    }
    lossEvaluations += alphas.length;
    int fi = WalkMath.floorIndex(losses);
    double floor = losses[fi];
    double height = WalkMath.heightAboveFloor(losses[0], losses[losses.length - 1], floor);
    double barrier = WalkMath.barrierHeight(losses);

    MetricSink out = step.sink(ID);
    for (int i = 0; i < alphas.length; i++) {
      out.record("loss_interp", alphas[i], losses[i]);
    }
    out.record("valley_floor", floor);
    out.record("valley_alpha", alphas[fi]);
    out.record("height", height);
    out.record("barrier", barrier > 0 ? 1 : 0);
    out.record("barrier_height", barrier);
    out.record("barrier_height_rel", barrier / losses[0]);
    if (step.previousGradient() != null) {
      out.record("cos_consecutive_grad", WalkMath.cosine(step.previousGradient(), step.gradient()));
    }
    out.record("dist_from_init", WalkMath.distance(theta, theta0, trainable));
    out.record("param_norm", WalkMath.distance(theta, null, trainable));

    if (walksInEpoch == heights.length) {
      heights = java.util.Arrays.copyOf(heights, 2 * heights.length);
    }
    heights[walksInEpoch++] = height;
    if (barrier > 0) {
      barriersInEpoch++;
      barrierRelSum += barrier / losses[0];
    }
    walks++;
    heightSum += height;
    if (barrier > 0) {
      barriers++;
    }
    nanos += System.nanoTime() - t0;
  }

  @Override
  public void onEpochEnd(int epoch, long step, RunContext run) {
    if (walksInEpoch == 0) {
      return;
    }
    MetricSink out = run.sink(ID, step, epoch);
    double[] ms = WalkMath.meanAndStd(heights, walksInEpoch);
    out.record("walks_epoch", walksInEpoch);
    out.record("height_epoch_mean", ms[0]);
    out.record("height_epoch_std", ms[1]);
    out.record("barrier_count_epoch", barriersInEpoch);
    if (barriersInEpoch > 0) {
      out.record("barrier_height_rel_epoch_mean", barrierRelSum / barriersInEpoch);
    }
    run.log(String.format("walk: epoch %d: %d walks, mean height %.4g (std %.3g), %d barriers", epoch,
        walksInEpoch, ms[0], ms[1], barriersInEpoch));
    walksInEpoch = 0;
    barriersInEpoch = 0;
    barrierRelSum = 0;
  }

  @Override
  public Map<String, Object> finish(RunContext run) {
    run.log(String.format("walk: cost %d walks, %d loss evaluations on %s (%d examples), %.2f s (%.1f ms per walk)",
        walks, lossEvaluations, set, view.size(), nanos / 1e9, walks == 0 ? 0 : nanos / 1e6 / walks));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("walks", walks);
    m.put("points_per_walk", alphas.length);
    m.put("set", set);
    m.put("mean_height", walks == 0 ? null : heightSum / walks);
    m.put("barriers", barriers);
    m.put("loss_evaluations", lossEvaluations);
    m.put("seconds", nanos / 1e9);
    m.put("ms_per_walk", walks == 0 ? null : nanos / 1e6 / walks);
    return m;
  }

  @Override
  public Map<String, Object> saveState() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("heights", java.util.Arrays.stream(heights, 0, walksInEpoch).boxed().toList());
    m.put("barriersInEpoch", barriersInEpoch);
    m.put("barrierRelSum", barrierRelSum);
    m.put("walks", walks);
    m.put("barriers", barriers);
    m.put("heightSum", heightSum);
    m.put("lossEvaluations", lossEvaluations);
    return m;
  }

  @Override
  public void restoreState(Map<String, Object> s) {
    java.util.List<?> h = (java.util.List<?>) s.get("heights");
    heights = new double[Math.max(64, h.size() * 2)];
    for (int i = 0; i < h.size(); i++) heights[i] = ((Number) h.get(i)).doubleValue();
    walksInEpoch = h.size();
    barriersInEpoch = ((Number) s.get("barriersInEpoch")).intValue();
    barrierRelSum = ((Number) s.get("barrierRelSum")).doubleValue();
    walks = ((Number) s.get("walks")).longValue();
    barriers = ((Number) s.get("barriers")).longValue();
    heightSum = ((Number) s.get("heightSum")).doubleValue();
    lossEvaluations = ((Number) s.get("lossEvaluations")).longValue();
  }

  public int interiorPoints() {
    return interior;
  }
}
