package org.trajlab.probes.noise.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trajlab.probes.noise.NoiseQuantities.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.junit.jupiter.api.Test;
import org.trajlab.api.chart.ChartGroup;
import org.trajlab.api.chart.ChartRegistry;
import org.trajlab.api.objective.ParameterBlock;
import org.trajlab.api.probe.ProbeRegistry;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.ScheduleSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.probes.noise.internal.NoiseMath;
import org.trajlab.probes.noise.internal.NoiseProbe;
import org.trajlab.probes.noise.internal.NoiseProbeFactory;

/**
 * The noise probe end to end on {@link ExamplesRun}, whose examples' gradients, Hessians and curvatures are closed
 * forms: K against the explicit covariance of the (group) gradients, its eigenvectors against K, the top-5 ratio,
 * the break-even inequality by hand, the loss changes by hand, the summary's markers, bn_gamma_norm, the params'
 * errors and the registration.
 */
public class NoiseProbeTest {
  static final double[] A = { 5, 4, 3, 2.5, 2, 1.5, 1, 0.5 };
  static final double[] SPREAD = { 3, 2.5, 2, 1.5, 1.2, 1, 0.1, 0.05 };
  static final int N = 60;

  static ExamplesRun run() {
    return new ExamplesRun(A, SPREAD, N, 7);
  }

  static double[] theta() {
    double[] th = new double[A.length];
    for (int d = 0; d < th.length; d++) th[d] = 0.5 * (d + 1) * (d % 2 == 0 ? 1 : -1);
    return th;
  }

  static NoiseProbe probe(Map<String, Object> params, ScheduleSpec... schedule) throws SpecException {
    ProbeSpec s = new ProbeSpec(NOISE);
    s.schedule = new ArrayList<>(List.of(schedule));
    s.params.putAll(params);
    return (NoiseProbe) new NoiseProbeFactory().create(s, "probes[0]");
  }

  /** the covariance (1/L) Σ (g_j − ḡ)(g_j − ḡ)ᵀ of explicitly collected gradients */
  static double[][] covariance(List<double[]> gs) {
    int p = gs.get(0).length;
    double[] mean = new double[p];
    for (double[] g : gs) for (int i = 0; i < p; i++) mean[i] += g[i] / gs.size();
    double[][] c = new double[p][p];
    for (double[] g : gs) {
      for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) c[i][j] += (g[i] - mean[i]) * (g[j] - mean[j]) / gs.size();
    }
    return c;
  }

  /** eigenvalues, largest first */
  static double[] eigenvalues(double[][] m) {
    double[] ev = new EigenDecomposition(new Array2DRowRealMatrix(m, false)).getRealEigenvalues().clone();
    Arrays.sort(ev);
    for (int i = 0; i < ev.length / 2; i++) {
      double x = ev[i];
      ev[i] = ev[ev.length - 1 - i];
      ev[ev.length - 1 - i] = x;
    }
    return ev;
  }

  static double[] times(double[][] m, double[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) for (int j = 0; j < v.length; j++) out[i] += m[i][j] * v[j];
    return out;
  }

  static double norm(double[] v) {
    return Math.sqrt(NoiseMathTest.dot(v, v));
  }

  /** M = 1 over every example: the rows are K = (1/N) Σ (g_i − ḡ)(g_i − ḡ)ᵀ itself; eigenvectors and top-5 ratio */
  @Test
  public void everyExampleOnceGivesTheExactCovariance() throws Exception {
    ExamplesRun run = run();
    run.spec.training.batchSize = 100; // more than N: the ratio's mini-batch is the whole training set
    NoiseProbe p = probe(Map.of("examples", "all", "M", 1, "k", 8, "breakEven", false));
    p.start(run);
    double[] th = theta();
    p.onPoint(0, 0, th, run);
    List<double[]> gs = new ArrayList<>();
    for (int i = 0; i < N; i++) gs.add(run.gradient(new int[] { i }, th));
    double[][] k = covariance(gs);
    double[] ev = eigenvalues(k);
    for (int i = 0; i < 8; i++) {
      assertEquals(ev[i], run.value(0, K_EIG, i + 1), 1e-10 * ev[0], "lambda_" + (i + 1));
      assertEquals(ev[i], run.value(0, K_EIG_XM, i + 1), 1e-10 * ev[0], "M = 1: times M is the same");
    }
    assertEquals(ev[0], run.value(0, K_LAMBDA_MAX), 1e-10 * ev[0]);
    double trace = 0;
    for (int i = 0; i < 8; i++) trace += k[i][i];
    assertEquals(trace, run.value(0, K_TRACE), 1e-10 * trace);
    assertEquals(trace, run.value(0, K_TRACE_XM), 1e-10 * trace);
    // L = 60 gradients in R^8: the (L-1)-th eigenvalue of G is 0, so is the conditioning
    assertEquals(0, run.value(0, K_LAMBDA_MIN_NONZERO), 1e-10 * ev[0]);
    assertEquals(1, run.value(0, K_BATCH_SIZE));
    assertEquals(N, run.value(0, K_BATCHES));
    // the eigenvectors mapped back from the Gram eigenvectors are unit eigenvectors of K
    double[][] e = p.eigenvectors();
    assertEquals(5, e.length);
    for (int i = 0; i < 5; i++) {
      assertEquals(1, norm(e[i]), 1e-12);
      double[] ke = times(k, e[i]);
      for (int d = 0; d < ke.length; d++) ke[d] -= ev[i] * e[i][d];
      assertTrue(norm(ke) <= 1e-10 * ev[0], "residual of e_" + (i + 1) + ": " + norm(ke));
    }
    double[] g = run.gradient(ExamplesRun.range(N), th);
    double[] proj = new double[5];
    for (int i = 0; i < 5; i++) proj[i] = NoiseMathTest.dot(g, e[i]);
    assertEquals(norm(g) / norm(proj), run.value(0, GRAD_TOP5_RATIO), 1e-10);
    assertFalse(run.has(0, STABILITY_LHS), "breakEven false");
    assertFalse(run.has(0, BN_GAMMA_NORM), "no batch norm");
  }

  /** L groups of M: the Gram eigenvalues are those of the covariance of the group gradients, times M recorded too */
  @Test
  public void drawnGroupsGiveTheCovarianceOfGroupGradients() throws Exception {
    ExamplesRun run = run();
    NoiseProbe p = probe(Map.of("L", 6, "M", 4, "breakEven", false, "eigenvectors", false));
    p.start(run);
    double[] th = theta();
    p.onPoint(3, 1, th, run);
    List<double[]> gs = new ArrayList<>();
    for (int[] group : p.groups(3)) gs.add(run.gradient(group, th)); // train-full positions are training indices
    double[] ev = eigenvalues(covariance(gs));
    for (int i = 0; i < 5; i++) {
      assertEquals(ev[i], run.value(3, K_EIG, i + 1), 1e-10 * ev[0]);
      assertEquals(4 * ev[i], run.value(3, K_EIG_XM, i + 1), 4e-10 * ev[0]);
    }
    assertEquals(ev[4], run.value(3, K_LAMBDA_MIN_NONZERO), 1e-10 * ev[0], "the (L-1)-th of L = 6");
    assertEquals(4 * ev[4], run.value(3, K_LAMBDA_MIN_NONZERO_XM), 4e-10 * ev[0]);
    assertEquals(ev[4] / ev[0], run.value(3, K_CONDITIONING), 1e-9);
    assertEquals(4, run.value(3, K_BATCH_SIZE));
    assertEquals(6, run.value(3, K_BATCHES));
    assertFalse(run.has(3, GRAD_TOP5_RATIO), "no eigenvectors asked for");
    assertNull(p.eigenvectors());
    // other steps draw other groups, the same step the same
    assertFalse(Arrays.deepEquals(p.groups(3), p.groups(4)));
    NoiseProbe again = probe(Map.of("L", 6, "M", 4));
    again.start(run);
    assertTrue(Arrays.deepEquals(p.groups(3), again.groups(3)));
  }

  /**
   * Examples that differ only in the first five coordinates: K's top-5 eigenvectors span them, so the update's
   * gradient has ||g|| / ||g_5|| = ||g|| / ||g restricted to those five||
   */
  @Test
  public void gradTop5RatioOfAConstructedCase() throws Exception {
    double[] spread = { 3, 2.5, 2, 1.5, 1.2, 0, 0, 0 };
    ExamplesRun run = new ExamplesRun(A, spread, N, 9);
    NoiseProbe p = probe(Map.of("examples", "all", "M", 1, "breakEven", false));
    p.start(run);
    double[] th = theta();
    for (int d = 5; d < 8; d++) th[d] = 4; // a gradient with a large part outside the examples' differences
    int[] batch = { 1, 4, 9, 16, 25, 36 };
    p.onStep(run.step(0, th, 0.1, batch), run);
    double[] g = run.gradient(batch, th);
    double[] five = Arrays.copyOf(g, 5);
    assertTrue(norm(g) / norm(five) > 1.1, "a case where the ratio is not 1: " + norm(g) / norm(five));
    assertEquals(norm(g) / norm(five), run.value(0, GRAD_TOP5_RATIO), 1e-10);
  }

  /** every example with the mean's curvature: s² = 0 and the left-hand side is (1 − η λ_1)² */
  @Test
  public void stabilityWithoutCurvatureNoise() throws Exception {
    ExamplesRun run = run();
    NoiseProbe p = probe(Map.of("L", 5, "M", 3));
    p.start(run);
    p.onStep(run.step(0, theta(), 0.1, new int[] { 0, 1, 2, 3 }), run);
    assertEquals(5, run.value(0, HESSIAN_EIG, 1), 1e-9);
    assertTrue(run.value(0, HESSIAN_EIG_RESIDUAL, 1) <= 1e-8);
    assertEquals(0, run.value(0, CURVATURE_VARIANCE), 1e-12);
    assertEquals(0.25, run.value(0, STABILITY_LHS), 1e-9, "(1 - 0.1 · 5)²");
  }

  /** curvature scales c_i per example: λ_1 = mean(c)·5, s² = 25·var(c), the left-hand side by hand */
  @Test
  public void stabilityWithCurvatureNoiseByHand() throws Exception {
    ExamplesRun run = run();
    for (int i = 0; i < N; i++) run.c[i] = 1 + 0.5 * Math.sin(i);
    NoiseProbe p = probe(Map.of("L", 5, "M", 3, "hessianView", "train-full", "hessianK", 2));
    p.start(run);
    int[] batch = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
    p.onStep(run.step(2, theta(), 0.3, batch), run);
    double meanC = run.meanC(ExamplesRun.range(N));
    double varC = NoiseMath.sampleVariance(run.c);
    double lambda1 = 5 * meanC;
    assertEquals(lambda1, run.value(2, HESSIAN_EIG, 1), 1e-9);
    assertEquals(4 * meanC, run.value(2, HESSIAN_EIG, 2), 1e-9);
    assertEquals(25 * varC, run.value(2, CURVATURE_VARIANCE), 1e-9);
    double byHand = (1 - 0.3 * lambda1) * (1 - 0.3 * lambda1) + 25 * varC * 0.09 * (N - 10) / (10.0 * (N - 1));
    assertEquals(byHand, run.value(2, STABILITY_LHS), 1e-9);
    assertTrue(run.log.stream().anyMatch(l -> l.contains("stability LHS")), run.log.toString());
  }

  /** L(θ_t) − L(θ_{t+1}) on the batch and on train-eval by hand; train-eval at θ_{t+1} is reused at the next update */
  @Test
  public void deltaLossesByHand() throws Exception {
    ExamplesRun run = run();
    NoiseProbe p = probe(Map.of("deltaEvery", 1, "M", 4), ScheduleSpec.every(1000));
    p.start(run);
    assertTrue(p.isDue(1, 1), "deltaEvery 1: every update");
    double[] th0 = theta();
    int[] b0 = { 3, 5, 7, 11 };
    var s0 = run.step(1, th0, 0.2, b0);
    int before = run.evaluations;
    p.onStep(s0, run);
    assertEquals(4, run.evaluations - before, "batch twice, train-eval twice");
    int[] te = ExamplesRun.range(50);
    assertEquals(run.loss(b0, th0) - run.loss(b0, s0.thetaNext()), run.value(1, DELTA_LOSS_BATCH), 1e-12);
    assertEquals(run.loss(te, th0) - run.loss(te, s0.thetaNext()), run.value(1, DELTA_LOSS_TRAIN_EVAL), 1e-12);
    assertFalse(run.has(1, K_LAMBDA_MAX), "the K schedule is not due");
    int[] b1 = { 0, 2, 4, 6 };
    var s1 = run.step(2, s0.thetaNext(), 0.2, b1);
    before = run.evaluations;
    p.onStep(s1, run);
    assertEquals(3, run.evaluations - before, "L(theta_2) on train-eval reused");
    assertEquals(run.loss(te, s1.theta()) - run.loss(te, s1.thetaNext()), run.value(2, DELTA_LOSS_TRAIN_EVAL), 1e-12);
    assertEquals(run.loss(b1, s1.theta()) - run.loss(b1, s1.thetaNext()), run.value(2, DELTA_LOSS_BATCH), 1e-12);
  }

  /**
   * Nine updates whose examples are scaled so that λ_1^K follows 1, 2, 8, 2, 5, 6, 5, 2, 1 (times λ_1^K of the
   * unscaled examples), with a small learning rate for three updates and then one beyond 2/λ_1: the summary's smoothed
   * peak is update 5 (not the spike at 2), with the spectra of K and H there; the loss change turns negative and the
   * left-hand side reaches 1 at update 3.
   */
  @Test
  public void summaryMarkers() throws Exception {
    double[] series = { 1, 2, 8, 2, 5, 6, 5, 2, 1 };
    ExamplesRun run = run();
    double[][] x0 = Arrays.stream(run.x).map(double[]::clone).toArray(double[][]::new);
    NoiseProbe p = probe(Map.of("examples", "all", "M", 1, "peakWindow", 3, "negativeRun", 3, "hessianView",
        "train-full"));
    p.start(run);
    double[] th = theta();
    th[0] = 20; // far from the minimum along the sharpest coordinate: a step beyond 2/λ_1 raises the loss there
    double base = Double.NaN;
    for (int t = 0; t < series.length; t++) {
      double f = Math.sqrt(series[t]);
      for (int i = 0; i < N; i++) for (int d = 0; d < A.length; d++) run.x[i][d] = f * x0[i][d];
      double lr = t < 3 ? 0.01 : 0.5;
      p.onStep(run.step(t, th, lr, new int[] { 2 * t, 2 * t + 1, 2 * t + 20, 2 * t + 21 }), run);
      if (t == 0) base = run.value(0, K_LAMBDA_MAX);
      assertEquals(series[t] * base, run.value(t, K_LAMBDA_MAX), 1e-9 * series[t] * base, "lambda_1^K at " + t);
      assertEquals(t >= 3, run.value(t, DELTA_LOSS_BATCH) < 0, "the batch loss rises from update 3 on: " + t);
      assertEquals(t >= 3, run.value(t, STABILITY_LHS) >= 1, "unstable from update 3 on: " + t);
    }
    Map<String, Object> sum = p.finish(run);
    @SuppressWarnings("unchecked")
    Map<String, Object> peak = (Map<String, Object>) sum.get("k_lambda_max_peak");
    assertEquals(5L, peak.get("step"));
    assertEquals(3, peak.get("window"));
    assertEquals(6 * base, (double) peak.get("k_lambda_max"), 1e-9 * base);
    assertEquals((5 + 6 + 5) / 3.0 * base, (double) peak.get("smoothed"), 1e-9 * base);
    @SuppressWarnings("unchecked")
    List<Double> k = (List<Double>) peak.get("k_eig");
    assertEquals(10, k.size());
    for (int i = 0; i < 10; i++) assertEquals(run.value(5, K_EIG, i + 1), k.get(i), 0);
    @SuppressWarnings("unchecked")
    List<Double> h = (List<Double>) peak.get("hessian_eig");
    assertEquals(List.of(run.value(5, HESSIAN_EIG, 1)), h);
    assertEquals(3L, sum.get("break_even_step"));
    assertEquals(3L, sum.get("delta_loss_batch_negative_from"));
    assertEquals(9L, sum.get("measurements"));
  }

  /** ||γ|| of the batch-norm scale with the largest offset */
  @Test
  public void bnGammaNormIsTheLastScale() throws Exception {
    ExamplesRun run = run();
    run.blocks = List.of(new ParameterBlock("0_W", 0, 3), new ParameterBlock("1_gamma", 3, 2),
        new ParameterBlock("1_beta", 5, 1), new ParameterBlock("2_gamma", 6, 2));
    NoiseProbe p = probe(Map.of("L", 4, "M", 2, "breakEven", false));
    p.start(run);
    double[] th = theta();
    p.onPoint(0, 0, th, run);
    assertEquals(Math.hypot(th[6], th[7]), run.value(0, BN_GAMMA_NORM), 1e-15);
  }

  /** a resumed probe holds the eigenvectors and histories: its next ratio and its summary are the uninterrupted one's */
  @Test
  public void stateRoundTrip() throws Exception {
    ExamplesRun run = run();
    Map<String, Object> params = Map.of("L", 8, "M", 2, "deltaEvery", 1);
    NoiseProbe p = probe(params, ScheduleSpec.every(2));
    p.start(run);
    double[] th = theta();
    p.onStep(run.step(0, th, 0.1, new int[] { 1, 2 }), run);
    NoiseProbe q = probe(params, ScheduleSpec.every(2));
    q.start(run);
    q.restoreState(p.saveState());
    p.onStep(run.step(1, th, 0.1, new int[] { 3, 4 }), run);
    double ratio = run.value(1, GRAD_TOP5_RATIO);
    q.onStep(run.step(1, th, 0.1, new int[] { 3, 4 }), run);
    assertEquals(2, run.rows.stream().filter(r -> r.step() == 1 && r.quantity().equals(GRAD_TOP5_RATIO))
        .filter(r -> r.value() == ratio).count(), "the same ratio from the restored eigenvectors");
    Map<String, Object> a = new java.util.HashMap<>(p.finish(run));
    Map<String, Object> b = new java.util.HashMap<>(q.finish(run));
    a.remove("seconds");
    b.remove("seconds");
    a.remove("losses"); // the restored probe recomputes the train-eval loss it would have reused
    b.remove("losses");
    assertEquals(a, b);
  }

  @Test
  public void badParamsAreOneSentence() {
    SpecException e = assertThrows(SpecException.class, () -> probe(Map.of("examples", "all", "L", 10)));
    assertTrue(e.getMessage().contains("exclude each other"), e.getMessage());
    e = assertThrows(SpecException.class, () -> probe(Map.of("peakWindow", 4)));
    assertTrue(e.getMessage().contains("must be odd"), e.getMessage());
    e = assertThrows(SpecException.class, () -> probe(Map.of("M", 0)));
    assertTrue(e.getMessage().contains("from 1 to"), e.getMessage());
    e = assertThrows(SpecException.class, () -> probe(Map.of("examples", "some")));
    assertTrue(e.getMessage().contains("must be one of all, batches"), e.getMessage());
    e = assertThrows(SpecException.class, () -> probe(Map.of("hessianSubset", 10, "hessianView", "test")));
    assertTrue(e.getMessage().contains("exclude each other"), e.getMessage());
    e = assertThrows(SpecException.class, () -> probe(Map.of("gramPrecision", "float")));
    assertTrue(e.getMessage().contains("must be one of double, training"), e.getMessage());
    e = assertThrows(SpecException.class, () -> probe(Map.of("lambda", 1)));
    assertTrue(e.getMessage().startsWith("Unknown field 'lambda'"), e.getMessage());
    IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
        () -> probe(Map.of("M", 61)).start(run()));
    assertEquals("noise: M = 61 is more than the 60 examples of the view train-full.", big.getMessage());
  }

  /** plugin.xml: the probe and its chart group */
  @Test
  public void registered() throws Exception {
    ProbeRegistry reg = ProbeRegistry.fromExtensions();
    assertTrue(reg.create(new ProbeSpec(NOISE), "probes[0]") instanceof NoiseProbe);
    Map<String, ChartGroup> groups = ChartRegistry.fromExtensions();
    ChartGroup g = groups.get(NOISE);
    assertNotNull(g, groups.keySet().toString());
    assertEquals(8, g.charts().size());
    assertEquals(K_LAMBDA_MAX_XM, g.charts().get(0).series().get(0).quantity());
  }
}
