package org.trajlab.probes.averaging.internal;

import static org.trajlab.probes.averaging.AveragingQuantities.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.trajlab.api.objective.DataView;
import org.trajlab.api.objective.Evaluation;
import org.trajlab.api.objective.Objective;
import org.trajlab.api.probe.MetricSink;
import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.ProbeState;
import org.trajlab.api.probe.RunContext;
import org.trajlab.api.probe.Schedule;
import org.trajlab.api.probe.StepContext;

/**
 * Streaming averages of the trajectory (paper 003, INSTRUMENTS.md section 4), kept during training without storing
 * it. The probe sees every update (it is due at each one) and folds θ_{t+1} into its averages; the first point is
 * θ_{t0} of the first update it sees (step 0, or a checkpoint's step):
 * <ul>
 * <li>{@code ema}: θ̄_{t0} = θ_{t0}, θ̄_t = β·θ̄_{t−1} + (1−β)·θ_t;</li>
 * <li>{@code swa}: the mean of the snapshots at steps swaStart, swaStart + c, … (at most n; n = 0: no limit);</li>
 * <li>{@code twopoint}: (θ_t + θ_{t−k})/2 and {@code multipoint}: the mean of θ_t, θ_{t−k'}, …, θ_{t−(n−1)k'},
 * from a ring of the last 2 (n) points at the steps k (k') apart that count back from the run's last step T.</li>
 * </ul>
 * At each step s the schedule names (and at the run's last step), each available average (two- and multi-point: at
 * their aligned steps once their ring is full) is evaluated like the eval rows (a deployed model: batch-norm running
 * statistics, RECOMPUTED on {@code bnView} for the average first, as torch.optim.swa_utils.update_bn does) on each
 * set: rows {@code loss_<avg>_<set>}, {@code acc_<avg>_<set>}, {@code dist_<avg>} (‖θ̄ − θ_s‖ over parameters),
 * and {@code swa_snapshots}. The state (the averages, the ring, the counters) goes into checkpoints bit for bit, so a
 * resumed run writes the same rows.
 */
public final class AveragingProbe implements Probe {
  /** the probe's params, checked by the factory */
  public record Settings(List<String> averages, double beta, int swaEvery, int swaSnapshots, long swaStart, int k,
      int multiN, int multiK, List<String> sets, String bnView) {}

  private final Schedule schedule;
  private final Settings s;
  private Objective objective;
  private List<DataView> views;
  private DataView bnView;
  private boolean batchNorm;
  private boolean[] trainable;
  private long end;

  // state
  private boolean started;
  private long t0;
  private double[] ema;
  private double[] swaSum;
  private long swaCount;
  private long swaStart;
  /** the ring of the two-point average: oldest first */
  private final List<double[]> twoRing = new ArrayList<>();
  private final List<double[]> multiRing = new ArrayList<>();
  private long evaluations;
  private long lastEvaluated = -1;
  private final Map<String, Object> last = new LinkedHashMap<>();
  private long nanos;

  public AveragingProbe(Schedule schedule, Settings settings) {
    this.schedule = schedule;
    this.s = settings;
  }

  @Override
  public String id() {
    return AVERAGING;
  }

  public Settings settings() {
    return s;
  }

  @Override
  public void start(RunContext run) {
    objective = run.objective();
    views = new ArrayList<>();
    for (String set : s.sets()) views.add(objective.view(set));
    batchNorm = !"none".equals(objective.batchNormMode());
    bnView = batchNorm ? objective.view(s.bnView()) : null;
    boolean[] t = objective.trainable();
    boolean all = true;
    for (boolean b : t) all &= b;
    trainable = all ? null : t;
    end = run.totalSteps();
  }

  /** every update: the averages need every point */
  @Override
  public boolean isDue(long step, int epoch) {
    return true;
  }

  private boolean has(String average) {
    return s.averages().contains(average);
  }

  @Override
  public void onStep(StepContext step, RunContext run) {
    long c0 = System.nanoTime();
    if (!started) {
      started = true;
      t0 = step.step();
      swaStart = s.swaStart() >= 0 ? s.swaStart() : t0;
      if (has(EMA)) ema = step.theta().clone();
      fold(t0, step.theta(), false);
    }
    long at = step.step() + 1;
    double[] theta = step.thetaNext();
    fold(at, theta, true);
    if (schedule.due(at, step.epoch()) || at == end) evaluate(at, step.epoch(), theta, run);
    nanos += System.nanoTime() - c0;
  }

  /** θ_s into the averages (the EMA only after its start point) */
  private void fold(long at, double[] theta, boolean emaStep) {
    if (emaStep && ema != null) AveragingMath.emaStep(ema, theta, s.beta());
    if (has(SWA) && AveragingMath.swaSnapshot(at, swaStart, s.swaEvery(), swaCount, s.swaSnapshots())) {
      if (swaSum == null) swaSum = new double[theta.length];
      AveragingMath.addTo(swaSum, theta);
      swaCount++;
    }
    if (has(TWOPOINT) && AveragingMath.alignedToEnd(at, end, s.k())) push(twoRing, theta, 2);
    if (has(MULTIPOINT) && AveragingMath.alignedToEnd(at, end, s.multiK())) push(multiRing, theta, s.multiN());
  }

  private static void push(List<double[]> ring, double[] theta, int n) {
    double[] slot = ring.size() == n ? ring.remove(0) : new double[theta.length];
    System.arraycopy(theta, 0, slot, 0, theta.length);
    ring.add(slot);
  }

  /** the averages available at step {@code at}, by name */
  Map<String, double[]> averagesAt(long at) {
    Map<String, double[]> m = new LinkedHashMap<>();
    if (ema != null) m.put(EMA, ema.clone());
    if (swaCount > 0) m.put(SWA, AveragingMath.mean(swaSum, swaCount));
    if (twoRing.size() == 2 && AveragingMath.alignedToEnd(at, end, s.k())) {
      m.put(TWOPOINT, AveragingMath.meanOf(twoRing.toArray(double[][]::new)));
    }
    if (multiRing.size() == s.multiN() && AveragingMath.alignedToEnd(at, end, s.multiK())) {
      m.put(MULTIPOINT, AveragingMath.meanOf(multiRing.toArray(double[][]::new)));
    }
    return m;
  }

  private void evaluate(long at, int epoch, double[] theta, RunContext run) {
    MetricSink out = run.sink(AVERAGING, at, epoch);
    StringBuilder line = new StringBuilder("averaging at step " + at + ":");
    for (Map.Entry<String, double[]> e : averagesAt(at).entrySet()) {
      String avg = e.getKey();
      double[] point = batchNorm ? objective.withRecomputedBatchNorm(e.getValue(), bnView) : e.getValue();
      line.append(' ').append(avg);
      for (int i = 0; i < views.size(); i++) {
        Evaluation ev = objective.evaluateInference(views.get(i), point);
        String set = s.sets().get(i);
        out.record(loss(avg, set), ev.loss());
        last.put("final_" + loss(avg, set), ev.loss());
        line.append(String.format(Locale.ROOT, " %s loss %.4f", set, ev.loss()));
        if (!Double.isNaN(ev.accuracy())) {
          out.record(acc(avg, set), ev.accuracy());
          last.put("final_" + acc(avg, set), ev.accuracy());
          line.append(String.format(Locale.ROOT, " acc %.4f", ev.accuracy()));
        }
      }
      double d = AveragingMath.distance(e.getValue(), theta, trainable);
      out.record(dist(avg), d);
      last.put("final_" + dist(avg), d);
      if (avg.equals(SWA)) {
        out.record(SWA_SNAPSHOTS, swaCount);
        last.put("final_" + SWA_SNAPSHOTS, swaCount);
      }
      evaluations++;
    }
    lastEvaluated = at;
    run.log(line.toString());
  }

  @Override
  public Map<String, Object> finish(RunContext run) {
    run.log(String.format(Locale.ROOT, "averaging: cost %d evaluations of averages on %s%s, %.2f s", evaluations,
        String.join(", ", s.sets()), batchNorm ? " (batch-norm statistics recomputed on " + s.bnView() + ")" : "",
        nanos / 1e9));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("averages", s.averages());
    m.put("beta", s.beta());
    m.put("swa_every", s.swaEvery());
    m.put("swa_snapshots_max", s.swaSnapshots());
    m.put("swa_start", swaStart);
    m.put("k", s.k());
    m.put("multi_n", s.multiN());
    m.put("multi_k", s.multiK());
    m.put("start_step", t0);
    m.put("end_step", end);
    m.put("sets", s.sets());
    m.put("batch_norm", batchNorm ? "recomputed on " + s.bnView() : "none");
    m.put("statistics_ranges", statisticsRanges());
    m.put("last_evaluated_step", lastEvaluated);
    m.putAll(last);
    m.put("evaluations", evaluations);
    m.put("seconds", nanos / 1e9);
    return m;
  }

  /** [from, to) ranges of the entries that are not parameters (batch-norm statistics): distances leave them out */
  private List<List<Integer>> statisticsRanges() {
    List<List<Integer>> r = new ArrayList<>();
    if (trainable == null) return r;
    for (int i = 0; i < trainable.length; i++) {
      if (trainable[i]) continue;
      int from = i;
      while (i < trainable.length && !trainable[i]) i++;
      r.add(List.of(from, i));
    }
    return r;
  }

  @Override
  public Map<String, Object> saveState() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("started", started ? 1 : 0);
    m.put("t0", t0);
    m.put("swaStart", swaStart);
    m.put("ema", ProbeState.vectorsOf(new double[][] { ema }));
    m.put("swaSum", ProbeState.vectorsOf(new double[][] { swaSum }));
    m.put("swaCount", swaCount);
    m.put("twoRing", ProbeState.vectorsOf(twoRing.toArray(double[][]::new)));
    m.put("multiRing", ProbeState.vectorsOf(multiRing.toArray(double[][]::new)));
    m.put("evaluations", evaluations);
    m.put("lastEvaluated", lastEvaluated);
    m.put("last", new LinkedHashMap<>(last));
    m.put("nanos", nanos);
    return m;
  }

  @Override
  public void restoreState(Map<String, Object> state) {
    ProbeState p = new ProbeState(state);
    started = p.whole("started") == 1;
    t0 = p.whole("t0");
    swaStart = p.whole("swaStart");
    double[][] e = p.vectors("ema");
    ema = e == null ? null : e[0];
    double[][] w = p.vectors("swaSum");
    swaSum = w == null ? null : w[0];
    swaCount = p.whole("swaCount");
    twoRing.clear();
    multiRing.clear();
    double[][] two = p.vectors("twoRing");
    if (two != null) twoRing.addAll(List.of(two));
    double[][] multi = p.vectors("multiRing");
    if (multi != null) multiRing.addAll(List.of(multi));
    evaluations = p.whole("evaluations");
    lastEvaluated = p.whole("lastEvaluated");
    last.clear();
    if (state.get("last") instanceof Map<?, ?> l) {
      for (Map.Entry<?, ?> x : l.entrySet()) last.put(String.valueOf(x.getKey()), x.getValue());
    }
    nanos = p.whole("nanos", 0);
  }

  /** the raw averages (no batch-norm recomputation) the state holds, for tests */
  public Map<String, double[]> averagesForTest(long at) {
    return averagesAt(at);
  }
}
