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
 * Fixed-batch side trips of paper 003 (INSTRUMENTS.md §4). One batch B and one held-out batch B′ (disjoint, seeded,
 * the spec's batch size unless {@code batchSize} says otherwise) are drawn once for the whole run. At θ_t of each
 * update the schedule names, the probe takes {@code steps} plain gradient steps θ ← θ − η g_B(θ) on B alone (η =
 * {@code lr}, by default the update's learning rate), on copies: the trajectory is never changed. It records L_B,
 * L_B′ and L_E after k = 0…steps side steps ({@code trip_loss_…}, index k) and at the end ({@code trip_end_loss_…});
 * from the second trip on, L_E along the line from the previous trip's endpoint (α = 0) to this one's (α = 1)
 * ({@code trip_interp_loss_train_eval}, index α, {@code interior} points plus both ends) and the distance between the
 * endpoints; and the gradient alignment on the fixed batch: cos(g_B(θ_t), g_B(θ_t0)) with t0 the first measured step,
 * and cos(g_B(θ_t), g_B′(θ_t)) for reference. The state keeps g_B(θ_t0) and the last endpoint bit for bit.
 */
public final class SideTripProbe implements Probe {
  private final Schedule schedule;
  private final int steps;
  private final double lrParam;
  private final int batchSizeParam;
  private final int interior;
  private final String set;
  private final Long seedParam;

  private DataView b;
  private DataView bPrime;
  private DataView eval;
  private double[] firstGradient;
  private double[] lastEnd;
  private long trips;
  private long losses;
  private long gradients;
  private long nanos;

  /**
   * @param lr the side steps' rate, NaN for the update's own
   * @param batchSize the size of B and B′, 0 for the spec's batch size
   */
  public SideTripProbe(Schedule schedule, int steps, double lr, int batchSize, int interior, String set, Long seed) {
    this.schedule = schedule;
    this.steps = steps;
    this.lrParam = lr;
    this.batchSizeParam = batchSize;
    this.interior = interior;
    this.set = set;
    this.seedParam = seed;
  }

  @Override
  public String id() {
    return SIDETRIP;
  }

  @Override
  public void start(RunContext run) {
    Objective o = run.objective();
    long seed = seedParam != null ? seedParam : run.spec().seed;
    int n = o.view("train-full").size();
    int size = batchSizeParam > 0 ? batchSizeParam : run.spec().training.batchSize;
    int[] fixed = LrScanMath.seededBatch(seed, -1, n, size);
    b = o.batch("B", fixed);
    bPrime = o.batch("B'", LrScanMath.heldOutBatch(seed, -1, n, size, fixed));
    eval = o.view(set);
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
    trip(step.theta(), Double.isNaN(lrParam) ? step.lr() : lrParam, step.sink(SIDETRIP), run);
  }

  @Override
  public void onPoint(long step, int epoch, double[] theta, RunContext run) {
    trip(theta, Double.isNaN(lrParam) ? run.spec().optimizer.lr : lrParam, run.sink(SIDETRIP, step, epoch), run);
  }

  private void trip(double[] theta, double lr, MetricSink sink, RunContext run) {
    long t0 = System.nanoTime();
    Objective o = run.objective();
    double[] g = new double[theta.length];
    o.gradient(b, theta, g);
    double[] gPrime = new double[theta.length];
    o.gradient(bPrime, theta, gPrime);
    gradients += 2;
    if (firstGradient == null) firstGradient = g.clone();
    sink.record(COS_FIXED_BATCH_GRAD, LrScanMath.cosine(g, firstGradient));
    sink.record(COS_INDEPENDENT_BATCH_GRAD, LrScanMath.cosine(g, gPrime));
    double[] p = theta.clone();
    double[] last = null;
    for (int k = 0; k <= steps; k++) {
      if (k > 0) {
        p = LrScanMath.stepAlong(p, lr, g);
        if (k < steps) {
          o.gradient(b, p, g);
          gradients++;
        }
      }
      last = new double[] { o.loss(b, p), o.loss(bPrime, p), o.loss(eval, p) };
      losses += 3;
      sink.record(TRIP_LOSS_TRAIN_BATCH, k, last[0]);
      sink.record(TRIP_LOSS_HELDOUT_BATCH, k, last[1]);
      sink.record(TRIP_LOSS_TRAIN_EVAL, k, last[2]);
    }
    sink.record(TRIP_END_LOSS_TRAIN_BATCH, last[0]);
    sink.record(TRIP_END_LOSS_HELDOUT_BATCH, last[1]);
    sink.record(TRIP_END_LOSS_TRAIN_EVAL, last[2]);
    if (lastEnd != null) {
      sink.record(TRIP_ENDPOINT_DISTANCE, LrScanMath.distance(p, lastEnd));
      for (int i = 0; i <= interior + 1; i++) {
        double alpha = (double) i / (interior + 1);
        double[] q = new double[p.length];
        for (int j = 0; j < q.length; j++) q[j] = (1 - alpha) * lastEnd[j] + alpha * p[j];
        sink.record(TRIP_INTERP_LOSS_TRAIN_EVAL, alpha, o.loss(eval, q));
        losses++;
      }
    }
    lastEnd = p;
    trips++;
    nanos += System.nanoTime() - t0;
  }

  @Override
  public Map<String, Object> finish(RunContext run) {
    run.log(String.format("sidetrip: %d trips of %d steps, %d losses, %d gradients, %.2f s", trips, steps, losses,
        gradients, nanos / 1e9));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("trips", trips);
    m.put("steps", steps);
    m.put("lr", Double.isNaN(lrParam) ? "the update's" : lrParam);
    m.put("batch_size", b == null ? 0 : b.size());
    m.put("set", set);
    m.put("batch_norm", run.objective().batchNormMode());
    m.put("losses", losses);
    m.put("gradients", gradients);
    m.put("seconds", nanos / 1e9);
    return m;
  }

  @Override
  public Map<String, Object> saveState() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("trips", trips);
    m.put("losses", losses);
    m.put("gradients", gradients);
    m.put("nanos", nanos);
    m.put("firstGradient", firstGradient == null ? java.util.List.of() : ProbeState.vectorsOf(new double[][] { firstGradient }));
    m.put("lastEnd", lastEnd == null ? java.util.List.of() : ProbeState.vectorsOf(new double[][] { lastEnd }));
    return m;
  }

  @Override
  public void restoreState(Map<String, Object> state) {
    ProbeState s = new ProbeState(state);
    trips = s.whole("trips", 0);
    losses = s.whole("losses", 0);
    gradients = s.whole("gradients", 0);
    nanos = s.whole("nanos", 0);
    double[][] f = s.vectors("firstGradient");
    firstGradient = f == null ? null : f[0];
    double[][] e = s.vectors("lastEnd");
    lastEnd = e == null ? null : e[0];
  }
}
