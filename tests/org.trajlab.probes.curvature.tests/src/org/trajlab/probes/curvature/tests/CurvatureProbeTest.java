package org.trajlab.probes.curvature.tests;

import org.trajlab.testing.QuadraticRun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trajlab.probes.curvature.CurvatureQuantities.*;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;
import org.trajlab.api.objective.WeightMatrix;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.ScheduleSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.store.MetricRow;
import org.trajlab.probes.curvature.internal.CurvatureMath;
import org.trajlab.probes.curvature.internal.CurvatureProbe;
import org.trajlab.probes.curvature.internal.CurvatureProbeFactory;

/** The curvature probe end to end on L = 1/2 sum a_i theta_i^2: Hessian diag(a), every row against its closed form. */
public class CurvatureProbeTest {
  static final int P = 60;
  static final int UNTRAINABLE = 7;

  static double[] a() {
    double[] a = new double[P];
    for (int i = 0; i < P; i++) a[i] = i == UNTRAINABLE ? 0 : 10 * Math.pow(0.9, i) * (i % 4 == 1 ? -1 : 1);
    return a;
  }

  static QuadraticRun run() {
    boolean[] tr = new boolean[P];
    Arrays.fill(tr, true);
    tr[UNTRAINABLE] = false;
    return new QuadraticRun(a(), tr, List.of(new WeightMatrix("0_W", 0, 2, 3), new WeightMatrix("1_W", 10, 3, 1)));
  }

  static double[] theta(double shift) {
    double[] th = new double[P];
    for (int i = 0; i < P; i++) th[i] = 0.1 * (i + 1) * (i % 2 == 0 ? 1 : -1) + shift;
    return th;
  }

  static CurvatureProbe probe(Map<String, Object> params) throws SpecException {
    ProbeSpec s = new ProbeSpec(CURVATURE, ScheduleSpec.every(1));
    s.params.putAll(params);
    return (CurvatureProbe) new CurvatureProbeFactory().create(s, "probes[1]");
  }

  /** a curvature probe with these params, started on the run */
  static CurvatureProbe started(QuadraticRun run, Map<String, Object> params) throws SpecException {
    CurvatureProbe p = probe(params);
    p.start(run);
    return p;
  }

  /** the probe measures update t of gradient descent from theta(shift) with lr 0.1 and batches of 20 */
  static void measure(CurvatureProbe p, QuadraticRun run, long t, double shift) throws Exception {
    p.onStep(run.step(t, theta(shift), 0.1, 20, null), run);
  }

  static double sigmaMax(double[] th, int off, int rows, int cols) {
    double[][] w = new double[rows][cols];
    for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) w[r][c] = th[off + r + c * rows];
    return new SingularValueDecomposition(new Array2DRowRealMatrix(w)).getSingularValues()[0];
  }

  @Test
  public void everyRowMatchesItsClosedForm() throws Exception {
    QuadraticRun run = run();
    CurvatureProbe p = started(run, Map.of("tol", 1e-10, "hutchinson", 3, "density", true, "seed", 5, "maxHvps", 2000));
    double[] th = theta(0);
    double lr = 0.1;
    p.onStep(run.step(3, th, lr, 20, null), run);

    double[] a = a();
    double[] want = Dense.byMagnitude(a);
    for (int i = 1; i <= 10; i++) {
      assertEquals(want[i - 1], run.value(3, HESSIAN_EIG, i), 1e-9 * 10, "lambda_" + i);
      assertTrue(run.value(3, HESSIAN_EIG_RESIDUAL, i) <= 1e-10 * 10);
      assertEquals(1.0, run.value(3, HESSIAN_EIG_CONVERGED, i));
    }
    assertEquals(CurvatureMath.frobeniusTop5(want), run.value(3, HESSIAN_FROBENIUS_TOP5), 1e-9);
    double gn = 0;
    double tr = 0;
    for (int i = 0; i < P; i++) {
      gn += a[i] * th[i] * a[i] * th[i];
      tr += a[i];
    }
    assertEquals(Math.sqrt(gn), run.value(3, GRAD_NORM), 1e-12);
    assertEquals(tr, run.value(3, HESSIAN_TRACE), 1e-10, "Rademacher probes are exact on a diagonal");
    assertEquals(0, run.value(3, HESSIAN_TRACE_STDERR), 1e-10);

    // e_1 = +-unit vector 0; every mini-batch gradient is a * theta, so Delta_1 = lr |a_0 theta_0|
    double[] e1 = p.eigenvectors()[0];
    double sgn = Math.signum(e1[0]);
    assertEquals(1, Math.abs(e1[0]), 1e-9);
    double l0 = run.loss(th);
    double delta = lr * Math.abs(a[0] * th[0]);
    assertEquals(delta, run.value(3, TYPICAL_STEP_TOP_EIG), 1e-12);
    double[] ks = CurvatureMath.kGrid(17);
    double kmin1 = Double.NaN;
    double kmin10 = Double.NaN;
    for (double k : ks) {
      double x = k * delta * sgn;
      double l = l0 + x * a[0] * th[0] + 0.5 * a[0] * x * x;
      assertEquals(l, run.value(3, LOSS_ALONG_TOP_EIG, k), 1e-9, "k = " + k);
      if (Math.abs(l - l0) >= 0.01 * l0 && (Double.isNaN(kmin1) || Math.abs(k) < kmin1)) kmin1 = Math.abs(k);
      if (Math.abs(l - l0) >= 0.10 * l0 && (Double.isNaN(kmin10) || Math.abs(k) < kmin10)) kmin10 = Math.abs(k);
    }
    assertFalse(Double.isNaN(kmin1));
    assertEquals(kmin1, run.value(3, KMIN_1PCT), 0.0);
    if (Double.isNaN(kmin10)) assertFalse(run.has(3, KMIN_10PCT));
    else assertEquals(kmin10, run.value(3, KMIN_10PCT), 0.0);
    // step test: theta_0 moves by -s lr a_0 theta_0
    for (double s : new double[] { 0.25, 0.5, 1, 2, 4 }) {
      double x = th[0] * (1 - s * lr * a[0]);
      assertEquals(0.5 * a[0] * (x * x - th[0] * th[0]), run.value(3, STEP_TEST_DELTA, s), 1e-9, "a = " + s);
    }
    assertEquals((sigmaMax(th, 0, 2, 3) + sigmaMax(th, 10, 3, 1)) / 2, run.value(3, WEIGHT_SPECTRAL_NORM_MEAN), 1e-10);

    List<MetricRow> dens = run.rows.stream().filter(r -> r.quantity().equals(HESSIAN_DENSITY)).toList();
    assertEquals(201, dens.size());
    double integral = 0;
    for (int i = 1; i < dens.size(); i++) {
      integral += 0.5 * (dens.get(i).value() + dens.get(i - 1).value()) * (dens.get(i).index() - dens.get(i - 1).index());
    }
    assertEquals(1, integral, 0.02);
    assertTrue(run.rows.stream().allMatch(r -> r.probe().equals(CURVATURE) && r.step() == 3 && r.epoch() == 1));
    assertEquals(11, run.gradients, "one on the subset and 10 mini-batches");
    assertTrue(run.log.get(0).contains("HVPs") && run.log.get(0).contains("batch-norm none"), run.log.get(0));
    System.out.println(run.log.get(0));
    // the untrainable entry is never touched by the eigenvectors
    for (double[] v : p.eigenvectors()) assertEquals(0.0, v[UNTRAINABLE]);
  }

  @Test
  public void warmStartAtTheNextPointNeedsFewerProducts() throws Exception {
    QuadraticRun run = run();
    CurvatureProbe p = started(run, Map.of("tol", 1e-8, "lossAlongTop", false, "stepTest", false));
    measure(p, run, 0, 0);
    int cold = run.hvps;
    measure(p, run, 1, 0.01);
    int warm = run.hvps - cold;
    System.out.println("probe: cold " + cold + " HVPs, warm " + warm + " HVPs");
    assertTrue(warm < cold, warm + " vs " + cold);
    assertFalse(run.has(0, LOSS_ALONG_TOP_EIG));
    assertFalse(run.has(0, STEP_TEST_DELTA));
  }

  @Test
  public void resumedProbeWritesTheSameRows() throws Exception {
    QuadraticRun r1 = run();
    CurvatureProbe p1 = started(r1, Map.of("seed", 3));
    measure(p1, r1, 0, 0);
    Map<String, Object> state = p1.saveState();
    measure(p1, r1, 1, 0.02);

    QuadraticRun r2 = run();
    CurvatureProbe p2 = started(r2, Map.of("seed", 3));
    p2.restoreState(state);
    measure(p2, r2, 1, 0.02);
    List<MetricRow> a = r1.rows.stream().filter(r -> r.step() == 1).toList();
    assertEquals(a, r2.rows);
  }

  /** the probe's time before an interruption survives saveState/restoreState into the summary (0 without the key) */
  @Test
  public void probeCostSurvivesAResume() throws Exception {
    QuadraticRun r1 = run();
    CurvatureProbe p1 = started(r1, Map.of("seed", 3));
    measure(p1, r1, 0, 0);
    Map<String, Object> done = p1.finish(r1);
    Map<String, Object> state = p1.saveState();
    long nanos = ((Number) state.get("nanos")).longValue();
    assertTrue(nanos > 0);
    assertEquals(nanos / 1e9, (Double) done.get("seconds"), 0.0);

    QuadraticRun r2 = run();
    CurvatureProbe p2 = started(r2, Map.of("seed", 3));
    p2.restoreState(state);
    Map<String, Object> resumed = p2.finish(r2);
    assertEquals(done.get("seconds"), resumed.get("seconds"));
    assertEquals(done.get("hvps"), resumed.get("hvps"));
    measure(p2, r2, 1, 0.02);
    assertTrue((Double) p2.finish(r2).get("seconds") > (Double) done.get("seconds"));

    Map<String, Object> old = new java.util.HashMap<>(state);
    old.remove("nanos");
    CurvatureProbe p3 = started(r2, Map.of("seed", 3));
    p3.restoreState(old);
    assertEquals(0.0, p3.finish(r2).get("seconds"));
  }

  @Test
  public void probeOnlyRunMeasuresThePoint() throws Exception {
    QuadraticRun run = run();
    CurvatureProbe p = probe(Map.of("k", 3));
    assertTrue(p.measuresPoints());
    p.start(run);
    p.onPoint(0, 0, theta(0), run);
    assertEquals(10.0, run.value(0, HESSIAN_EIG, 1), 1e-6);
    assertEquals(3, run.count(CURVATURE, HESSIAN_EIG));
    // spec defaults: lr 0.1
    assertEquals(0.1 * Math.abs(10 * theta(0)[0]), run.value(0, TYPICAL_STEP_TOP_EIG), 1e-4, "e_1 to tol 1e-3");
    Map<String, Object> summary = p.finish(run);
    assertEquals(1L, summary.get("measurements"));
    assertEquals(50, summary.get("view_size"), "5% of the 1,000 training examples");
  }

  @Test
  public void badParamsAreOneSentence() {
    SpecException e = assertThrows(SpecException.class, () -> probe(Map.of("k", 31)));
    assertEquals("Field 'probes[1].params.k' must be a whole number from 1 to 30, but it is 31.", e.getMessage());
    e = assertThrows(SpecException.class, () -> probe(Map.of("tol", 2)));
    assertEquals("Field 'probes[1].params.tol' must be a number between 0 and 1, but it is 2.0.", e.getMessage());
    e = assertThrows(SpecException.class, () -> probe(Map.of("density", "yes")));
    assertEquals("Field 'probes[1].params.density' must be true or false, but it is yes.", e.getMessage());
    e = assertThrows(SpecException.class, () -> probe(Map.of("subset", 100, "view", "train-eval")));
    assertEquals("Fields 'probes[1].params.subset' and 'probes[1].params.view' exclude each other; give one.", e.getMessage());
    e = assertThrows(SpecException.class, () -> probe(Map.of("kk", 1)));
    assertTrue(e.getMessage().startsWith("Unknown field 'kk' in 'probes[1].params'; allowed fields: batches, block, "), e.getMessage());
  }
}
