package org.trajlab.probes.noise.internal;

import static org.trajlab.probes.noise.NoiseQuantities.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.trajlab.api.objective.DataView;
import org.trajlab.api.objective.Objective;
import org.trajlab.api.objective.ParameterBlock;
import org.trajlab.api.probe.MetricSink;
import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.ProbeState;
import org.trajlab.api.probe.RunContext;
import org.trajlab.api.probe.Schedule;
import org.trajlab.api.probe.StepContext;
import org.trajlab.probes.curvature.internal.HessianOperator;
import org.trajlab.probes.curvature.internal.HessianSettings;
import org.trajlab.probes.curvature.internal.Lanczos;

/**
 * The gradient-noise instruments of paper 004 ("The break-even point", INSTRUMENTS.md section 5), probe {@code noise}.
 * Every loss, gradient and product comes from {@link Objective#inDouble()}.
 * <p>
 * <b>At each update the schedule names</b> (and once at the point of a probe-only run), at theta_t:
 * <ul>
 * <li>the Gram estimate of K ({@link GramEstimate}): L gradients of groups of M examples of the view, drawn seeded
 * (each group M distinct examples; {@code examples: "all"} takes every example of the view once, in a seeded order,
 * as ⌊n/M⌋ groups); rows {@code k_eig} (i = 1..k), {@code k_lambda_max}, {@code k_lambda_min_nonzero} (the (L−1)-th
 * eigenvalue), {@code k_conditioning}, {@code k_trace}, each raw and times M ({@code _xM}), and {@code k_batch_size}
 * (M), {@code k_batches} (L); the group gradients and their Gram matrix in double, or with {@code gramPrecision:
 * "training"} in the training precision (float for a float run: each non-zero eigenvalue within 7e-5 of double's at
 * initialisation and 3.4e-6 after training on the MLP, in about half the time; the run log names the precision);</li>
 * <li>the top-5 eigenvectors of K mapped back from the Gram eigenvectors ({@code eigenvectors}, default true; one more
 * pass of L group gradients), kept in the state;</li>
 * <li>the break-even inequality ({@code breakEven}, default true): the top {@code hessianK} Hessian eigenpairs by the
 * curvature bundle's {@link Lanczos}, warm-started from the previous ones, on the Hessian's subset (as the curvature
 * probe's: {@code hessianSubset} seeded training examples, default 5% of the training set, at most 2,560; or
 * {@code hessianView}), rows {@code hessian_eig} and {@code hessian_eig_residual} (i); s² the sample variance of
 * e_1ᵀH_i e_1 over {@code curvatureExamples} seeded training examples (default 256; with train-mode batch
 * normalisation a whole number of its batches), row {@code curvature_variance}; and {@code stability_lhs} =
 * (1 − η λ_1^H)² + s² η² (N − S)/(S (N − 1)) with N the training-set size, S the update's batch size and η its
 * learning rate.</li>
 * </ul>
 * <b>At every due update</b> (the schedule's, and every {@code deltaEvery}-th when that is above 0):
 * {@code delta_loss_batch} (L(θ_t) − L(θ_{t+1}) on update t's batch, both by the objective: the batch loss training
 * reports is in the training precision), {@code delta_loss_train_eval}, {@code grad_top5_ratio} of the update's
 * gradient g_t with the latest eigenvectors of K (in a probe-only run: of a seeded mini-batch of the spec's batch
 * size), and {@code bn_gamma_norm} when the model has batch normalisation.
 * <p>
 * The summary marks the step where the centred moving average of lambda_1^K over {@code peakWindow} measurements
 * (default 5) peaks, with the spectra of K and H measured at that step; the first step of {@code negativeRun}
 * (default 5) consecutive due updates with a negative loss change, on the batch and on train-eval; and the first step
 * whose {@code stability_lhs} reaches 1. Seeds ({@code seed}, default the run's) and every draw are functions of the
 * step, so a resumed run writes the same rows.
 */
public final class NoiseProbe implements Probe {
  /** the eigenvectors of K kept for {@code grad_top5_ratio} */
  static final int TOP = 5;
  static final String HESSIAN_SUBSET = "noise-hessian-subset";
  static final String CURVATURE_EXAMPLES = "noise-curvature-examples";

  /** the probe's params, as {@link NoiseProbeFactory} read them */
  record Settings(int l, int m, boolean allExamples, int k, String view, Long seed, boolean eigenvectors,
      int deltaEvery, boolean breakEven, int hessianK, Integer hessianSubset, String hessianView, double hessianTol,
      int hessianMaxHvps, int curvatureExamples, int peakWindow, int negativeRun, String gramPrecision) {
  }

  private final Schedule schedule;
  private final Settings s;

  // fixed at start
  private Objective d;
  /** the objective of the Gram estimate's group gradients: d, or the training precision's ({@code gramPrecision}) */
  private Objective gramObjective;
  private long seed;
  private DataView kView;
  private DataView hView;
  private DataView curvatureView;
  private boolean[] mask;
  private int trainSize;
  private ParameterBlock gamma;

  // the latest eigenvectors (state), the histories of the summary (state) and the cost so far (state)
  private double[][] kVectors;
  private double[][] hVectors;
  private final List<double[]> kHistory = new ArrayList<>();
  private final List<double[]> hHistory = new ArrayList<>();
  private final List<double[]> lhsHistory = new ArrayList<>();
  private final List<double[]> deltaHistory = new ArrayList<>();
  private long measurements;
  private long groupGradients;
  private long hvps;
  private long curvatures;
  private long losses;
  private long nanos;

  // L(theta_{t+1}) on train-eval of the latest update, reused as L(theta_t) of the next (not state: recomputed)
  private double[] lastThetaNext;
  private double lastLossNext;

  NoiseProbe(Schedule schedule, Settings s) {
    this.schedule = schedule;
    this.s = s;
  }

  @Override
  public String id() {
    return NOISE;
  }

  @Override
  public boolean measuresPoints() {
    return true;
  }

  @Override
  public boolean usesGradients() {
    return true;
  }

  @Override
  public void start(RunContext run) {
    d = run.objective().inDouble();
    gramObjective = "training".equals(s.gramPrecision()) ? run.objective() : d;
    seed = s.seed() != null ? s.seed() : run.spec() == null ? 0 : run.spec().seed;
    trainSize = d.view("train-full").size();
    kView = d.view(s.view());
    int n = kView.size();
    if (s.m() > n) {
      throw new IllegalArgumentException("noise: M = " + s.m() + " is more than the " + n + " examples of the view "
          + s.view() + ".");
    }
    if (s.allExamples() && n / s.m() < 2) {
      throw new IllegalArgumentException("noise: every example of " + s.view() + " (" + n + ") in groups of M = "
          + s.m() + " gives fewer than 2 groups.");
    }
    mask = d.trainable();
    if (s.breakEven()) {
      Random rnd = new Random(seed ^ 0x4E4F495345L);
      if (s.hessianView() != null) {
        hView = d.view(s.hessianView());
      } else {
        int size = s.hessianSubset() != null ? Math.min(s.hessianSubset(), trainSize)
            : HessianSettings.defaultSubset(trainSize);
        hView = d.batch(HESSIAN_SUBSET, NoiseMath.sample(trainSize, size, rnd));
      }
      int c = Math.min(s.curvatureExamples(), trainSize);
      int bn = d.batchNormBatchSize();
      if (bn > 0) c = Math.max(bn, c / bn * bn); // whole train-mode batches: every example has its batch
      curvatureView = d.batch(CURVATURE_EXAMPLES, NoiseMath.sample(trainSize, Math.min(c, trainSize), rnd));
    }
    gamma = lastBatchNormScale(d.parameterBlocks());
  }

  /** the scale γ of the model's last batch-norm layer (largest offset), or null without batch normalisation */
  static ParameterBlock lastBatchNormScale(List<ParameterBlock> blocks) {
    return blocks.stream().filter(ParameterBlock::isBatchNormScale).max(Comparator.comparingLong(ParameterBlock::offset))
        .orElse(null);
  }

  @Override
  public boolean isDue(long step, int epoch) {
    return schedule.due(step, epoch) || deltaDue(step);
  }

  private boolean deltaDue(long step) {
    return s.deltaEvery() > 0 && step % s.deltaEvery() == 0;
  }

  @Override
  public void onStep(StepContext step, RunContext run) {
    long t0 = System.nanoTime();
    MetricSink out = step.sink(NOISE);
    long t = step.step();
    deltaLosses(step, out);
    if (schedule.due(t, step.epoch())) {
      measure(step.theta(), t, step.lr(), step.batchSize(), out, run);
    }
    if (kVectors != null && kVectors.length > 0) out.record(GRAD_TOP5_RATIO, NoiseMath.gradTop5Ratio(step.gradient(), kVectors));
    bnGammaNorm(step.theta(), out);
    nanos += System.nanoTime() - t0;
  }

  @Override
  public void onPoint(long step, int epoch, double[] theta, RunContext run) {
    long t0 = System.nanoTime();
    MetricSink out = run.sink(NOISE, step, epoch);
    int batchSize = run.spec().training.batchSize;
    measure(theta, step, run.spec().optimizer.lr, batchSize, out, run);
    if (kVectors != null && kVectors.length > 0) {
      int[] idx = NoiseMath.sample(trainSize, Math.min(batchSize, trainSize), new Random(seed * 43 + step));
      double[] g = new double[d.numParams()];
      d.gradient(d.batch("noise-ratio-batch", idx), theta, g);
      losses++;
      out.record(GRAD_TOP5_RATIO, NoiseMath.gradTop5Ratio(g, kVectors));
    }
    bnGammaNorm(theta, out);
    nanos += System.nanoTime() - t0;
  }

  /** delta_loss_batch and delta_loss_train_eval: L(θ_t) − L(θ_{t+1}), both sides by the DOUBLE objective */
  private void deltaLosses(StepContext step, MetricSink out) {
    DataView batch = d.batch("noise-update-batch", step.batchIndices());
    double batchDelta = d.loss(batch, step.theta()) - d.loss(batch, step.thetaNext());
    DataView te = d.view("train-eval");
    double before = lastThetaNext != null && Arrays.equals(lastThetaNext, step.theta()) ? lastLossNext
        : count(d.loss(te, step.theta()));
    double after = d.loss(te, step.thetaNext());
    losses += 3;
    lastThetaNext = step.thetaNext().clone();
    lastLossNext = after;
    double teDelta = before - after;
    out.record(DELTA_LOSS_BATCH, batchDelta);
    out.record(DELTA_LOSS_TRAIN_EVAL, teDelta);
    deltaHistory.add(new double[] { step.step(), batchDelta, teDelta });
  }

  private double count(double loss) {
    losses++;
    return loss;
  }

  /** bn_gamma_norm: ||γ|| of the last batch-norm layer, when there is one */
  private void bnGammaNorm(double[] theta, MetricSink out) {
    if (gamma == null) return;
    double ss = 0;
    for (double x : gamma.of(theta)) ss += x * x;
    out.record(BN_GAMMA_NORM, Math.sqrt(ss));
  }

  /** the groups of positions of the view whose gradients estimate K at update {@code step} (after {@link #start}) */
  public int[][] groups(long step) {
    Random rnd = new Random(seed * 1_000_003L + step);
    int n = kView.size();
    return s.allExamples() ? NoiseMath.allGroups(n, s.m(), rnd) : NoiseMath.drawnGroups(n, s.l(), s.m(), rnd);
  }

  /** the K estimate, its eigenvectors, and the break-even inequality at theta */
  private void measure(double[] theta, long step, double lr, int batchSize, MetricSink out, RunContext run) {
    long t0 = System.nanoTime();
    int[][] groups = groups(step);
    GramEstimate k = GramEstimate.of(gramObjective, kView, theta, groups);
    groupGradients += groups.length;
    record(out, k, s.k());
    double gramSeconds = (System.nanoTime() - t0) / 1e9;
    if (s.eigenvectors()) {
      kVectors = k.eigenvectors(d, kView, theta, TOP);
      groupGradients += groups.length;
    }
    double[] row = new double[1 + Math.min(s.k(), k.values().length)];
    row[0] = step;
    System.arraycopy(k.values(), 0, row, 1, row.length - 1);
    kHistory.add(row);
    String breakEven = "";
    if (s.breakEven()) breakEven = breakEven(theta, step, lr, batchSize, out);
    measurements++;
    run.log(String.format(Locale.ROOT, "noise: step %d: %.2f s (Gram of L = %d, M = %d on %s in %s: %.2f s), lambda_1^K"
        + " %.6g (x M %.6g), conditioning %.4g%s", step, (System.nanoTime() - t0) / 1e9, groups.length, k.m(),
        kView.name(), gramObjective.precision(), gramSeconds, k.values()[0], k.values()[0] * k.m(),
        NoiseMath.conditioningK(k.values()), breakEven));
  }

  /** the K rows of one estimate: the top {@code count} eigenvalues and the rest, raw and times M; M and L */
  static void record(MetricSink out, GramEstimate k, int count) {
    double[] v = k.values();
    int m = k.m();
    for (int i = 0; i < Math.min(v.length, count); i++) {
      out.record(K_EIG, i + 1, v[i]);
      out.record(K_EIG_XM, i + 1, v[i] * m);
    }
    out.record(K_LAMBDA_MAX, NoiseMath.lambdaMaxK(v));
    out.record(K_LAMBDA_MAX_XM, NoiseMath.lambdaMaxK(v) * m);
    out.record(K_LAMBDA_MIN_NONZERO, NoiseMath.lambdaMinNonzeroK(v));
    out.record(K_LAMBDA_MIN_NONZERO_XM, NoiseMath.lambdaMinNonzeroK(v) * m);
    out.record(K_CONDITIONING, NoiseMath.conditioningK(v));
    double tr = NoiseMath.traceK(k.gram());
    out.record(K_TRACE, tr);
    out.record(K_TRACE_XM, tr * m);
    out.record(K_BATCH_SIZE, m);
    out.record(K_BATCHES, k.l());
  }

  /** hessian_eig, hessian_eig_residual (i), curvature_variance, stability_lhs; returns the log's part */
  private String breakEven(double[] theta, long step, double lr, int batchSize, MetricSink out) {
    HessianOperator.Counting h = new HessianOperator.Counting(new HessianOperator() {
      @Override
      public int dim() {
        return d.numParams();
      }

      @Override
      public void apply(double[] v, double[] o) {
        d.hessianVector(hView, theta, v, o);
      }
    });
    Lanczos.Eigenpairs eig = Lanczos.topK(h, new Lanczos.Options().k(s.hessianK()).tol(s.hessianTol())
        .maxHvps(s.hessianMaxHvps()).seed(seed * 1_000_003L + step).mask(mask).warmStart(hVectors));
    hvps += h.products();
    hVectors = eig.vectors();
    double[] hRow = new double[1 + eig.k()];
    hRow[0] = step;
    for (int i = 0; i < eig.k(); i++) {
      out.record(HESSIAN_EIG, i + 1, eig.values()[i]);
      out.record(HESSIAN_EIG_RESIDUAL, i + 1, eig.residuals()[i]);
      hRow[i + 1] = eig.values()[i];
    }
    hHistory.add(hRow);
    double[] c = d.exampleCurvature(curvatureView, theta, eig.vectors()[0], range(curvatureView.size()));
    curvatures += c.length;
    double s2 = NoiseMath.sampleVariance(c);
    out.record(CURVATURE_VARIANCE, s2);
    double lhs = NoiseMath.stabilityLhs(lr, eig.values()[0], s2, trainSize, batchSize);
    out.record(STABILITY_LHS, lhs);
    lhsHistory.add(new double[] { step, lhs });
    return String.format(Locale.ROOT, "; lambda_1^H %.6g (residual %.3g, %d HVPs on %s of %d examples), s^2 %.6g over"
        + " %d examples, stability LHS %.6g", eig.values()[0], eig.residuals()[0], h.products(), hView.name(),
        hView.size(), s2, c.length, lhs);
  }

  private static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) r[i] = i;
    return r;
  }

  /** the latest unit eigenvectors of K (top 5 at most), or null before the first estimate */
  public double[][] eigenvectors() {
    return kVectors;
  }

  @Override
  public Map<String, Object> finish(RunContext run) {
    run.log(String.format(Locale.ROOT, "noise: cost %d measurements, %d group gradients, %d HVPs, %d per-example"
        + " curvatures, %d losses, %.2f s", measurements, groupGradients, hvps, curvatures, losses, nanos / 1e9));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("measurements", measurements);
    m.put("group_gradients", groupGradients);
    m.put("hvps", hvps);
    m.put("example_curvatures", curvatures);
    m.put("losses", losses);
    m.put("seconds", nanos / 1e9);
    m.put("k_view", kView == null ? null : kView.name());
    m.put("k_batch_size", s.m());
    m.put("k_batches", s.allExamples() && kView != null ? kView.size() / s.m() : s.l());
    m.put("hessian_view", hView == null ? null : hView.name());
    m.put("hessian_view_size", hView == null ? null : hView.size());
    m.put("curvature_examples", curvatureView == null ? null : curvatureView.size());
    m.put("curvature_method", s.breakEven() && d != null ? d.exampleCurvatureMethod() : null);
    m.put("batch_norm_mode", d == null ? null : d.batchNormMode());
    m.put("k_lambda_max_peak", peak());
    int be = NoiseMath.breakEvenIndex(column(lhsHistory, 1));
    m.put("break_even_step", be < 0 ? null : (long) lhsHistory.get(be)[0]);
    m.put("negative_run", s.negativeRun());
    m.put("delta_loss_batch_negative_from", negativeFrom(1));
    m.put("delta_loss_train_eval_negative_from", negativeFrom(2));
    return m;
  }

  /**
   * The smoothed peak of lambda_1^K: the step whose centred moving average over {@code peakWindow} measurements is
   * largest, with the raw value there and the spectra of K (raw and times M) and H measured at that step
   */
  private Map<String, Object> peak() {
    if (kHistory.isEmpty()) return null;
    double[] smoothed = NoiseMath.centredMovingAverage(column(kHistory, 1), s.peakWindow());
    int i = NoiseMath.peakIndex(smoothed);
    double[] row = kHistory.get(i);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("step", (long) row[0]);
    p.put("window", s.peakWindow());
    p.put("smoothed", smoothed[i]);
    p.put("k_lambda_max", row[1]);
    p.put("k_lambda_max_xM", row[1] * s.m());
    double[] spectrum = Arrays.copyOfRange(row, 1, row.length);
    p.put("k_eig", ProbeState.listOf(spectrum, spectrum.length));
    double[] xm = spectrum.clone();
    for (int j = 0; j < xm.length; j++) xm[j] *= s.m();
    p.put("k_eig_xM", ProbeState.listOf(xm, xm.length));
    for (double[] h : hHistory) {
      if (h[0] == row[0]) p.put("hessian_eig", ProbeState.listOf(Arrays.copyOfRange(h, 1, h.length), h.length - 1));
    }
    return p;
  }

  private Long negativeFrom(int col) {
    int i = NoiseMath.persistentlyNegativeFrom(column(deltaHistory, col), s.negativeRun());
    return i < 0 ? null : (long) deltaHistory.get(i)[0];
  }

  private static double[] column(List<double[]> rows, int col) {
    return rows.stream().mapToDouble(r -> r[col]).toArray();
  }

  @Override
  public Map<String, Object> saveState() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kVectors", ProbeState.vectorsOf(kVectors));
    m.put("hVectors", ProbeState.vectorsOf(hVectors));
    m.put("kHistory", ProbeState.rowsOf(kHistory));
    m.put("hHistory", ProbeState.rowsOf(hHistory));
    m.put("lhsHistory", ProbeState.rowsOf(lhsHistory));
    m.put("deltaHistory", ProbeState.rowsOf(deltaHistory));
    m.put("measurements", measurements);
    m.put("groupGradients", groupGradients);
    m.put("hvps", hvps);
    m.put("curvatures", curvatures);
    m.put("losses", losses);
    m.put("nanos", nanos);
    return m;
  }

  @Override
  public void restoreState(Map<String, Object> state) {
    ProbeState st = new ProbeState(state);
    kVectors = st.vectors("kVectors");
    hVectors = st.vectors("hVectors");
    restoreRows(kHistory, st.rows("kHistory"));
    restoreRows(hHistory, st.rows("hHistory"));
    restoreRows(lhsHistory, st.rows("lhsHistory"));
    restoreRows(deltaHistory, st.rows("deltaHistory"));
    measurements = st.whole("measurements");
    groupGradients = st.whole("groupGradients");
    hvps = st.whole("hvps");
    curvatures = st.whole("curvatures");
    losses = st.whole("losses");
    nanos = st.whole("nanos", 0);
  }

  private static void restoreRows(List<double[]> into, List<double[]> rows) {
    into.clear();
    into.addAll(rows);
  }
}
