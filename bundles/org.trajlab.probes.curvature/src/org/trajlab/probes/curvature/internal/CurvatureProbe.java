package org.trajlab.probes.curvature.internal;

import static org.trajlab.probes.curvature.CurvatureQuantities.*;

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
 * run). A measurement is one method per instrument, in the order above, on one Hessian operator whose products are
 * counted. Each measurement's cost goes to the run log. The state (for exact resume) holds the latest eigenvectors and
 * the cost so far ({@link EigenTracker}), the gradient and loss counts and the k_min history, so a resumed run's
 * summary covers the time before the interruption too.
 */
public final class CurvatureProbe implements Probe {
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
    return CURVATURE;
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
    measure(step.theta(), step.step(), step.lr(), step.batchSize(), step.sink(CURVATURE), run);
  }

  @Override
  public void onPoint(long step, int epoch, double[] theta, RunContext run) {
    measure(theta, step, run.spec().optimizer.lr, run.spec().training.batchSize, run.sink(CURVATURE, step, epoch), run);
  }

  /** the latest eigenvectors (e_1 first), or null before the first measurement */
  public double[][] eigenvectors() {
    return eigen.vectors();
  }

  /**
   * One measurement at theta_t: where it is, where its rows go, the Hessian operator every instrument shares (its
   * products counted), and the gradients and losses evaluated so far.
   */
  private final class Measurement {
    final double[] theta;
    final long step;
    final double lr;
    final int batchSize;
    final MetricSink out;
    final HessianOperator.Counting h;
    long gradients;
    long losses;

    Measurement(double[] theta, long step, double lr, int batchSize, MetricSink out) {
      this.theta = theta;
      this.step = step;
      this.lr = lr;
      this.batchSize = batchSize;
      this.out = out;
      this.h = new HessianOperator.Counting(eigen.hessian(theta));
    }

    /** L(th), the mean loss on the Hessian's view, counted */
    double loss(double[] th) {
      losses++;
      return eigen.objective().loss(eigen.view(), th);
    }

    /** writes the mean gradient on a view at theta into g, counted */
    void gradient(DataView view, double[] g) {
      gradients++;
      eigen.objective().gradient(view, theta, g);
    }
  }

  void measure(double[] theta, long step, double lr, int batchSize, MetricSink out, RunContext run) {
    long t0 = System.nanoTime();
    Measurement m = new Measurement(theta, step, lr, batchSize, out);
    Lanczos.Eigenpairs eig = eigenpairs(m);
    long eigHvps = m.h.products();
    gradientNorm(m);
    if (x.hutchinson() > 0) hutchinsonTrace(m);
    if (x.density()) density(m);
    double[] e1 = eig.vectors()[0];
    if ((x.lossAlongTop() || x.stepTest()) && e1 != null) {
      double loss0 = m.loss(theta);
      List<double[]> gs = batchGradients(m);
      if (x.lossAlongTop()) lossAlongTop(m, loss0, gs, e1);
      if (x.stepTest()) stepTest(m, loss0, gs, e1);
    }
    weightSpectralNorm(m);

    long dt = System.nanoTime() - t0;
    eigen.charge(m.h.products(), dt);
    gradients += m.gradients;
    losses += m.losses;
    run.log(String.format(Locale.ROOT, "curvature: step %d: %.2f s, %d HVPs (%d for %s, max residual %.3g),"
        + " %d gradients, %d losses, %s, HVPs %s, lambda_1 %.6g", step, dt / 1e9, m.h.products(), eigHvps,
        eigen.describe(eig), maxResidual(eig), m.gradients, m.losses, eigen.where(), eigen.objective().hessianMethod(),
        eig.values()[0]));
  }

  /** hessian_eig, hessian_eig_residual, hessian_eig_converged (i), hessian_frobenius_top5: the top K, warm-started */
  private Lanczos.Eigenpairs eigenpairs(Measurement m) {
    Lanczos.Eigenpairs eig = eigen.compute(m.h, m.step);
    EigenTracker.record(m.out, eig);
    return eig;
  }

  /** grad_norm: ||grad L|| of the mean loss on the Hessian's view, in double */
  private void gradientNorm(Measurement m) {
    double[] g = new double[eigen.objective().numParams()];
    m.gradient(eigen.view(), g);
    m.out.record(GRAD_NORM, Vec.norm(g));
  }

  /** hessian_trace, and hessian_trace_stderr with more than one probe vector: Hutchinson's estimate of Tr(H) */
  private void hutchinsonTrace(Measurement m) {
    Hutchinson.Estimate tr = Hutchinson.trace(m.h, x.hutchinson(), eigen.seed() * 31 + m.step, eigen.mask());
    m.out.record(HESSIAN_TRACE, tr.mean());
    if (x.hutchinson() > 1) m.out.record(HESSIAN_TRACE_STDERR, tr.stderr());
  }

  /** hessian_density (lambda): the SLQ density, broadened by sigma, on a grid over the nodes plus 3 sigma */
  private void density(Measurement m) {
    SpectralDensity.Quadrature q = SpectralDensity.quadrature(m.h, x.densitySteps(), x.densityVectors(),
        eigen.seed() * 37 + m.step, eigen.mask());
    double lo = q.min();
    double hi = q.max();
    double sigma = x.densitySigma() * (hi > lo ? hi - lo : Math.max(1, Math.abs(hi)));
    double[] grid = SpectralDensity.grid(lo - 3 * sigma, hi + 3 * sigma, x.densityPoints());
    double[] phi = q.density(grid, sigma);
    for (int i = 0; i < grid.length; i++) m.out.record(HESSIAN_DENSITY, grid[i], phi[i]);
  }

  /**
   * typical_step_top_eig (Delta_1), loss_along_top_eig (k: L(theta + k Delta_1 e_1)), kmin_1pct and kmin_10pct
   * (when a grid point gets that far); the k_min pair joins the history of the summary's average
   */
  private void lossAlongTop(Measurement m, double loss0, List<double[]> gs, double[] e1) {
    double delta = CurvatureMath.typicalStep(m.lr, gs, e1);
    m.out.record(TYPICAL_STEP_TOP_EIG, delta);
    double[] ks = CurvatureMath.kGrid(x.kPoints());
    double[] ls = CurvatureMath.lossAlong(m::loss, m.theta, e1, delta, ks);
    for (int i = 0; i < ks.length; i++) m.out.record(LOSS_ALONG_TOP_EIG, ks[i], ls[i]);
    double kmin1 = CurvatureMath.kmin(ks, ls, loss0, 0.01);
    double kmin10 = CurvatureMath.kmin(ks, ls, loss0, 0.10);
    if (!Double.isNaN(kmin1)) m.out.record(KMIN_1PCT, kmin1);
    if (!Double.isNaN(kmin10)) m.out.record(KMIN_10PCT, kmin10);
    kmins.add(new double[] { m.step, kmin1, kmin10 });
  }

  /** step_test_delta (a): E_B[L(theta - a lr g~_1)] - L(theta) for each a of {@link #STEP_TEST_A} */
  private void stepTest(Measurement m, double loss0, List<double[]> gs, double[] e1) {
    double[] dl = CurvatureMath.stepTest(m::loss, m.theta, loss0, m.lr, gs, e1, STEP_TEST_A);
    for (int i = 0; i < dl.length; i++) m.out.record(STEP_TEST_DELTA, STEP_TEST_A[i], dl[i]);
  }

  /** weight_spectral_norm_mean: rho(W) at theta, when the model has weight matrices */
  private void weightSpectralNorm(Measurement m) {
    List<WeightMatrix> ws = eigen.objective().weightMatrices();
    if (!ws.isEmpty()) m.out.record(WEIGHT_SPECTRAL_NORM_MEAN, CurvatureMath.meanSpectralNorm(m.theta, ws));
  }

  private static double maxResidual(Lanczos.Eigenpairs r) {
    double m = 0;
    for (double x : r.residuals()) if (!Double.isNaN(x)) m = Math.max(m, x);
    return m;
  }

  /** gradients g^(S) of {@code batches} seeded mini-batches of the update's size, drawn from the training set */
  private List<double[]> batchGradients(Measurement m) {
    Objective d = eigen.objective();
    int n = d.view("train-full").size();
    Random rnd = new Random(eigen.seed() * 41 + m.step);
    List<double[]> gs = new ArrayList<>();
    for (int b = 0; b < x.batches(); b++) {
      int[] idx = HessianSettings.sample(n, Math.min(m.batchSize, n), rnd);
      double[] g = new double[d.numParams()];
      m.gradient(d.batch("curvature-batch-" + b, idx), g);
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
    Map<String, Object> m = eigen.save();
    m.put("gradients", gradients);
    m.put("losses", losses);
    m.put("kmins", ProbeState.rowsOf(kmins));
    return m;
  }

  @Override
  public void restoreState(Map<String, Object> state) {
    ProbeState s = eigen.restore(state);
    gradients = s.whole("gradients");
    losses = s.whole("losses");
    kmins.clear();
    kmins.addAll(s.rows("kmins"));
  }
}
