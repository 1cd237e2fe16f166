package org.trajlab.probes.curvature;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.trajlab.api.objective.DataView;
import org.trajlab.api.objective.Objective;
import org.trajlab.api.objective.WeightMatrix;
import org.trajlab.api.probe.MetricSink;
import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.ProbeState;
import org.trajlab.api.probe.RunContext;
import org.trajlab.api.probe.Schedule;
import org.trajlab.api.probe.StepContext;

/**
 * The sharpest directions of paper 001 and the Hessian instruments of INSTRUMENTS.md sections 2 and 6, measured at
 * theta_t for each due update t (before the update, at step t) or once at the point of a probe-only run. Every
 * product, loss and gradient comes from {@link Objective#inDouble()}. Rows (probe {@code curvature}):
 * <ul>
 * <li>{@code hessian_eig} (i), {@code hessian_eig_residual} (i, the true ||H e_i - lambda_i e_i||),
 * {@code hessian_eig_converged} (i, 0/1), {@code hessian_frobenius_top5} (sqrt of sum of the top 5 lambda_i^2) -
 * see {@link Lanczos} and {@link HessianSettings};</li>
 * <li>{@code grad_norm}: ||grad L|| of the mean loss on the Hessian's subset, in double;</li>
 * <li>{@code hessian_trace}, {@code hessian_trace_stderr}: Hutchinson with {@code hutchinson} Rademacher probes
 * (0 = off, the default);</li>
 * <li>{@code hessian_density} (index = lambda): the SLQ density on {@code densityPoints} grid values when
 * {@code density} is true ({@code densitySteps} Lanczos steps, default 80; {@code densityVectors}, default 1;
 * broadening sigma = {@code densitySigma} (default 0.01) times the width of the node range; the grid spans the
 * nodes plus 3 sigma);</li>
 * <li>{@code typical_step_top_eig} (Delta_1 = lr · mean |&lt;g^(S), e_1&gt;| over {@code batches} seeded mini-batches of
 * the run's batch size, default 10), {@code loss_along_top_eig} (k: L(theta + k Delta_1 e_1) on a grid of
 * {@code kPoints} values in [-8, 8], default 17), {@code kmin_1pct} and {@code kmin_10pct} (absent when no grid
 * point changes the loss that much) when {@code lossAlongTop} is true (default);</li>
 * <li>{@code step_test_delta} (a: E_B[L(theta - a lr g~_1)] - L(theta), a in 0.25, 0.5, 1, 2, 4) when
 * {@code stepTest} is true (default);</li>
 * <li>{@code weight_spectral_norm_mean}: the mean over the model's weight matrices of their largest singular
 * value.</li>
 * </ul>
 * L is the mean loss on the Hessian's subset ({@link Objective#loss}; batch normalisation as
 * {@link Objective#batchNormMode()} says: by default the mean over train-mode batches of the run's size, like the
 * products); lr and the batch size are the update's (the spec's optimizer.lr and training.batchSize in a probe-only
 * run). Each measurement's cost goes to the run log. The state (for exact resume) holds the latest eigenvectors and
 * the cost so far ({@link EigenTracker}), the gradient and loss counts and the k_min history, so a resumed run's
 * summary covers the time before the interruption too.
 */
public final class CurvatureProbe implements Probe {
  public static final String ID = "curvature";
  static final double[] STEP_TEST_A = { 0.25, 0.5, 1, 2, 4 };

  record Extras(int hutchinson, boolean density, int densitySteps, int densityVectors, double densitySigma,
      int densityPoints, boolean lossAlongTop, int kPoints, boolean stepTest, int batches) {
  }

  private final Schedule schedule;
  private final Extras x;
  private final EigenTracker eigen;
  // whole-run counts besides the tracker's, and the k_min history (for the summary's average over the last 100 updates)
  private long gradients;
  private long losses;
  private final List<double[]> kmins = new ArrayList<>();

  CurvatureProbe(Schedule schedule, HessianSettings hs, Extras x) {
    this.schedule = schedule;
    this.x = x;
    this.eigen = new EigenTracker(hs, "measurements");
  }

  @Override
  public String id() {
    return ID;
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
    eigen.start(run);
  }

  @Override
  public boolean isDue(long step, int epoch) {
    return schedule.due(step, epoch);
  }

  @Override
  public void onStep(StepContext step, RunContext run) {
    measure(step.theta(), step.step(), step.lr(), step.batchSize(), step.sink(ID), run);
  }

  @Override
  public void onPoint(long step, int epoch, double[] theta, RunContext run) {
    measure(theta, step, run.spec().optimizer.lr, run.spec().training.batchSize, run.sink(ID, step, epoch), run);
  }

  /** the latest eigenvectors (e_1 first), or null before the first measurement */
  public double[][] eigenvectors() {
    return eigen.vectors();
  }

  void measure(double[] theta, long step, double lr, int batchSize, MetricSink out, RunContext run) {
    long t0 = System.nanoTime();
    Objective d = eigen.objective();
    DataView view = eigen.view();
    int p = d.numParams();
    HessianOperator.Counting h = new HessianOperator.Counting(eigen.hessian(theta));
    long grads = 0;
    long lossEvals = 0;

    Lanczos.Eigenpairs eig = eigen.compute(h, step);
    EigenTracker.record(out, eig);
    long eigHvps = h.products();

    double[] g = new double[p];
    d.gradient(view, theta, g);
    grads++;
    out.record("grad_norm", Vec.norm(g));

    if (x.hutchinson() > 0) {
      Hutchinson.Estimate tr = Hutchinson.trace(h, x.hutchinson(), eigen.seed() * 31 + step, eigen.mask());
      out.record("hessian_trace", tr.mean());
      if (x.hutchinson() > 1) out.record("hessian_trace_stderr", tr.stderr());
    }
    if (x.density()) {
      SpectralDensity.Quadrature q = SpectralDensity.quadrature(h, x.densitySteps(), x.densityVectors(),
          eigen.seed() * 37 + step, eigen.mask());
      double lo = q.min();
      double hi = q.max();
      double sigma = x.densitySigma() * (hi > lo ? hi - lo : Math.max(1, Math.abs(hi)));
      double[] grid = SpectralDensity.grid(lo - 3 * sigma, hi + 3 * sigma, x.densityPoints());
      double[] phi = q.density(grid, sigma);
      for (int i = 0; i < grid.length; i++) out.record("hessian_density", grid[i], phi[i]);
    }
    double[] e1 = eig.vectors()[0];
    double kmin1 = Double.NaN;
    double kmin10 = Double.NaN;
    if ((x.lossAlongTop() || x.stepTest()) && e1 != null) {
      double loss0 = d.loss(view, theta);
      lossEvals++;
      List<double[]> gs = batchGradients(theta, batchSize, step);
      grads += gs.size();
      long[] count = { 0 };
      java.util.function.ToDoubleFunction<double[]> loss = th -> {
        count[0]++;
        return d.loss(view, th);
      };
      if (x.lossAlongTop()) {
        double delta = CurvatureMath.typicalStep(lr, gs, e1);
        out.record("typical_step_top_eig", delta);
        double[] ks = CurvatureMath.kGrid(x.kPoints());
        double[] ls = CurvatureMath.lossAlong(loss, theta, e1, delta, ks);
        for (int i = 0; i < ks.length; i++) out.record("loss_along_top_eig", ks[i], ls[i]);
        kmin1 = CurvatureMath.kmin(ks, ls, loss0, 0.01);
        kmin10 = CurvatureMath.kmin(ks, ls, loss0, 0.10);
        if (!Double.isNaN(kmin1)) out.record("kmin_1pct", kmin1);
        if (!Double.isNaN(kmin10)) out.record("kmin_10pct", kmin10);
        kmins.add(new double[] { step, kmin1, kmin10 });
      }
      if (x.stepTest()) {
        double[] dl = CurvatureMath.stepTest(loss, theta, loss0, lr, gs, e1, STEP_TEST_A);
        for (int i = 0; i < dl.length; i++) out.record("step_test_delta", STEP_TEST_A[i], dl[i]);
      }
      lossEvals += count[0];
    }
    List<WeightMatrix> ws = d.weightMatrices();
    if (!ws.isEmpty()) out.record("weight_spectral_norm_mean", CurvatureMath.meanSpectralNorm(theta, ws));

    long dt = System.nanoTime() - t0;
    eigen.charge(h.products(), dt);
    gradients += grads;
    losses += lossEvals;
    run.log(String.format(Locale.ROOT, "curvature: step %d: %.2f s, %d HVPs (%d for %s, max residual %.3g), %d gradients,"
        + " %d losses, %s, HVPs %s, lambda_1 %.6g", step, dt / 1e9, h.products(), eigHvps, eigen.describe(eig),
        maxResidual(eig), grads, lossEvals, eigen.where(), d.hessianMethod(), eig.values()[0]));
  }

  private static double maxResidual(Lanczos.Eigenpairs r) {
    double m = 0;
    for (double x : r.residuals()) if (!Double.isNaN(x)) m = Math.max(m, x);
    return m;
  }

  /** gradients of {@code batches} seeded mini-batches of the given size, drawn from the training set */
  private List<double[]> batchGradients(double[] theta, int batchSize, long step) {
    Objective d = eigen.objective();
    int n = d.view("train-full").size();
    Random rnd = new Random(eigen.seed() * 41 + step);
    List<double[]> gs = new ArrayList<>();
    for (int b = 0; b < x.batches(); b++) {
      int[] idx = HessianSettings.sample(n, Math.min(batchSize, n), rnd);
      double[] g = new double[d.numParams()];
      d.gradient(d.batch("curvature-batch-" + b, idx), theta, g);
      gs.add(g);
    }
    return gs;
  }

  @Override
  public Map<String, Object> finish(RunContext run) {
    run.log(String.format(Locale.ROOT, "curvature: cost %d measurements, %d HVPs, %d gradients, %d losses, %.2f s",
        eigen.count(), eigen.hvps(), gradients, losses, eigen.seconds()));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("measurements", eigen.count());
    m.put("hvps", eigen.hvps());
    m.put("gradients", gradients);
    m.put("losses", losses);
    m.put("seconds", eigen.seconds());
    m.put("view", eigen.view() == null ? null : eigen.view().name());
    m.put("view_size", eigen.view() == null ? null : eigen.view().size());
    m.put("batch_norm_mode", eigen.batchNormMode());
    m.put("tol", eigen.tol());
    // section 2: k_min "average over the last 100 iterations" (of the measured ones, NaN = never reached skipped)
    long last = run.totalSteps();
    m.put("kmin_1pct_mean_last100", meanKmin(1, last));
    m.put("kmin_10pct_mean_last100", meanKmin(2, last));
    return m;
  }

  private Double meanKmin(int col, long last) {
    double s = 0;
    int c = 0;
    for (double[] r : kmins) {
      if (r[0] >= last - 100 && !Double.isNaN(r[col])) {
        s += r[col];
        c++;
      }
    }
    return c == 0 ? null : s / c;
  }

  @Override
  public Map<String, Object> saveState() {
    Map<String, Object> m = new LinkedHashMap<>();
    eigen.save(m);
    m.put("gradients", gradients);
    m.put("losses", losses);
    m.put("kmins", ProbeState.rowsOf(kmins));
    return m;
  }

  @Override
  public void restoreState(Map<String, Object> state) {
    ProbeState s = new ProbeState(state);
    eigen.restore(s);
    gradients = s.whole("gradients");
    losses = s.whole("losses");
    kmins.clear();
    kmins.addAll(s.rows("kmins"));
  }
}
