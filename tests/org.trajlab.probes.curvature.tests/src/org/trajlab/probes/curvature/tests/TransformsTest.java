package org.trajlab.probes.curvature.tests;

import org.trajlab.testing.QuadraticRun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trajlab.probes.curvature.CurvatureQuantities.*;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.trajlab.api.probe.GradientTransform;
import org.trajlab.api.probe.Probe;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.probes.curvature.internal.CurvatureMath;
import org.trajlab.probes.curvature.internal.NsgdProbeFactory;
import org.trajlab.probes.curvature.internal.SubspaceProbeFactory;

public class TransformsTest {
  static final int P = 40;

  @Test
  public void projectionsByHand() {
    double s = Math.sqrt(0.5);
    double[] e1 = { s, s, 0 };
    double[] g = { 3, 1, 5 };
    CurvatureMath.keepTop(g, e1); // <g, e1> = 4 s -> 4 s * e1 = (2, 2, 0)
    assertArrayEquals(new double[] { 2, 2, 0 }, g, 1e-15);
    g = new double[] { 3, 1, 5 };
    CurvatureMath.removeTop(g, e1);
    assertArrayEquals(new double[] { 1, -1, 5 }, g, 1e-15);
    // NSGD with e1, e2 = (0, 0, 1), gamma = 3: g + 2 (<g,e1> e1 + <g,e2> e2) = (3,1,5) + 2 ((2,2,0) + (0,0,5))
    g = new double[] { 3, 1, 5 };
    CurvatureMath.nudge(g, new double[][] { e1, { 0, 0, 1 } }, 2, 3);
    assertArrayEquals(new double[] { 7, 5, 15 }, g, 1e-14);
    // K = 1 uses only e1
    g = new double[] { 3, 1, 5 };
    CurvatureMath.nudge(g, new double[][] { e1, { 0, 0, 1 } }, 1, 0);
    assertArrayEquals(new double[] { 1, -1, 5 }, g, 1e-14);
  }

  static double[] distinct() {
    double[] a = new double[P];
    for (int i = 0; i < P; i++) a[i] = 1 + i * 0.25; // top: index 39, then 38, ...
    return a;
  }

  static QuadraticRun run(double[] a) {
    boolean[] tr = new boolean[P];
    Arrays.fill(tr, true);
    return new QuadraticRun(a, tr, List.of());
  }

  static <T> T create(Object factory, String type, Map<String, Object> params) throws SpecException {
    ProbeSpec s = new ProbeSpec(type);
    s.params.putAll(params);
    Probe p = factory instanceof SubspaceProbeFactory f ? f.create(s, "probes[0]") : ((NsgdProbeFactory) factory).create(s, "probes[0]");
    @SuppressWarnings("unchecked")
    T t = (T) p;
    return t;
  }

  static double[] ones() {
    double[] g = new double[P];
    Arrays.fill(g, 1);
    return g;
  }

  @Test
  public void subspaceModesFollowOrFreezeTheTopEigenvector() throws Exception {
    double[] a = distinct();
    QuadraticRun run = run(a);
    GradientTransform top = create(new SubspaceProbeFactory(), SUBSPACE, Map.of("mode", "top-only", "tol", 1e-10));
    GradientTransform constant = create(new SubspaceProbeFactory(), SUBSPACE, Map.of("mode", "constant-top", "tol", 1e-10));
    GradientTransform noTop = create(new SubspaceProbeFactory(), SUBSPACE, Map.of("mode", "no-top", "tol", 1e-10));
    for (Object p : List.of(top, constant, noTop)) ((Probe) p).start(run);
    double[] th = new double[P];
    double[] g1 = ones();
    double[] g2 = ones();
    double[] g3 = ones();
    top.transform(0, QuadraticRun.epoch(0), th, g1, run);
    constant.transform(0, QuadraticRun.epoch(0), th, g2, run);
    noTop.transform(0, QuadraticRun.epoch(0), th, g3, run);
    double[] onlyLast = new double[P];
    onlyLast[P - 1] = 1;
    double[] allButLast = ones();
    allButLast[P - 1] = 0;
    assertArrayEquals(onlyLast, g1, 1e-9);
    assertArrayEquals(onlyLast, g2, 1e-9);
    assertArrayEquals(allButLast, g3, 1e-9);
    // the sharpest direction moves to entry 0: top-only follows it, constant-top keeps e_1(0)
    run.a = a.clone();
    run.a[0] = 100;
    g1 = ones();
    g2 = ones();
    g3 = ones();
    top.transform(1, QuadraticRun.epoch(1), th, g1, run);
    constant.transform(1, QuadraticRun.epoch(1), th, g2, run);
    noTop.transform(1, QuadraticRun.epoch(1), th, g3, run);
    double[] onlyFirst = new double[P];
    onlyFirst[0] = 1;
    double[] allButFirst = ones();
    allButFirst[0] = 0;
    assertArrayEquals(onlyFirst, g1, 1e-9);
    assertArrayEquals(onlyLast, g2, 1e-9);
    assertArrayEquals(allButFirst, g3, 1e-9);
    // rows: the eigenvalues each probe computed (constant-top only once)
    assertEquals(2, run.rows.stream().filter(r -> r.quantity().equals(HESSIAN_EIG) && r.step() == 1).count());
    assertEquals(100, run.value(1, HESSIAN_EIG, 1), 1e-8);
  }

  @Test
  public void nsgdScalesTheTopKAndRecomputesEachEpoch() throws Exception {
    QuadraticRun run = run(distinct());
    Probe p = create(new NsgdProbeFactory(), NSGD, Map.of("gamma", 0.5, "k", 2, "tol", 1e-10));
    GradientTransform t = (GradientTransform) p;
    p.start(run);
    double[] th = new double[P];
    for (long s = 0; s < 25; s++) {
      double[] g = ones();
      t.transform(s, QuadraticRun.epoch(s), th, g, run);
      double[] want = ones();
      want[P - 1] = 0.5;
      want[P - 2] = 0.5;
      assertArrayEquals(want, g, 1e-9, "step " + s);
    }
    // epochs of 10 updates: computations at steps 0, 10, 20
    List<Long> at = run.rows.stream().filter(r -> r.quantity().equals(HESSIAN_EIG) && r.index() == 1).map(r -> r.step()).toList();
    assertEquals(List.of(0L, 10L, 20L), at);
    assertEquals(2, run.rows.stream().filter(r -> r.step() == 10 && r.quantity().equals(HESSIAN_EIG)).findFirst().get().epoch());

    // resume at step 25 from the state: no recomputation within epoch 3, the same transform
    Probe q = create(new NsgdProbeFactory(), NSGD, Map.of("gamma", 0.5, "k", 2, "tol", 1e-10));
    q.start(run);
    q.restoreState(p.saveState());
    int before = run.rows.size();
    double[] g = ones();
    double[] h = ones();
    ((GradientTransform) q).transform(25, QuadraticRun.epoch(25), th, g, run);
    assertEquals(before, run.rows.size());
    t.transform(25, QuadraticRun.epoch(25), th, h, run);
    assertArrayEquals(h, g, 0.0);
  }

  @Test
  public void nsgdEveryMSteps() throws Exception {
    QuadraticRun run = run(distinct());
    Probe p = create(new NsgdProbeFactory(), NSGD, Map.of("gamma", 2.0, "every", 4));
    p.start(run);
    for (long s = 0; s < 9; s++) ((GradientTransform) p).transform(s, QuadraticRun.epoch(s), new double[P], ones(), run);
    List<Long> at = run.rows.stream().filter(r -> r.quantity().equals(HESSIAN_EIG) && r.index() == 1).map(r -> r.step()).toList();
    assertEquals(List.of(0L, 4L, 8L), at);
    assertEquals(5, run.rows.stream().filter(r -> r.step() == 0 && r.quantity().equals(HESSIAN_EIG)).count(), "K = 5 by default");
  }

  /** subspace and nsgd: the time spent on eigenvectors before an interruption survives a resume (0 without the key) */
  @Test
  public void probeCostSurvivesAResume() throws Exception {
    for (Object factory : List.of(new SubspaceProbeFactory(), new NsgdProbeFactory())) {
      boolean subspace = factory instanceof SubspaceProbeFactory;
      Map<String, Object> params = subspace ? Map.of("mode", "top-only") : Map.of("gamma", 0.5);
      String type = subspace ? SUBSPACE : NSGD;
      QuadraticRun run = run(distinct());
      Probe p1 = create(factory, type, params);
      p1.start(run);
      ((GradientTransform) p1).transform(0, QuadraticRun.epoch(0), new double[P], ones(), run);
      Map<String, Object> done = p1.finish(run);
      Map<String, Object> state = p1.saveState();
      long nanos = ((Number) state.get("nanos")).longValue();
      assertTrue(nanos > 0, type);
      assertEquals(nanos / 1e9, (Double) done.get("seconds"), 0.0, type);

      Probe p2 = create(factory, type, params);
      p2.start(run);
      p2.restoreState(state);
      assertEquals(done.get("seconds"), p2.finish(run).get("seconds"), type);
      assertEquals(1L, p2.finish(run).get("computations"), type);

      Map<String, Object> old = new java.util.HashMap<>(state);
      old.remove("nanos");
      Probe p3 = create(factory, type, params);
      p3.start(run);
      p3.restoreState(old);
      assertEquals(0.0, p3.finish(run).get("seconds"), type);
    }
  }

  @Test
  public void requiredParams() {
    SpecException e = assertThrows(SpecException.class, () -> create(new NsgdProbeFactory(), NSGD, Map.of()));
    assertEquals("Field 'probes[0].params.gamma' is required: the factor on the learning rate along the top K eigenvectors.", e.getMessage());
    e = assertThrows(SpecException.class, () -> create(new SubspaceProbeFactory(), SUBSPACE, Map.of("mode", "top")));
    assertEquals("Field 'probes[0].params.mode' must be one of constant-top, no-top, top-only, but it is top.", e.getMessage());
  }
}
