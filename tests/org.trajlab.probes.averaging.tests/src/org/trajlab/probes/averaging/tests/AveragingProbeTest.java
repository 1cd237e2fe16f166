package org.trajlab.probes.averaging.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trajlab.probes.averaging.AveragingQuantities.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.trajlab.api.chart.ChartGroup;
import org.trajlab.api.chart.ChartRegistry;
import org.trajlab.api.probe.ProbeRegistry;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.ScheduleSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.store.MetricRow;
import org.trajlab.probes.averaging.internal.AveragingMath;
import org.trajlab.probes.averaging.internal.AveragingProbe;
import org.trajlab.probes.averaging.internal.AveragingProbeFactory;
import org.trajlab.testing.QuadraticRun;

/**
 * The averaging probe on gradient descent over the closed-form quadratic of {@link QuadraticRun} (100 updates): each
 * average is its definition over the trajectory the test keeps, the rows are the closed-form losses of the averages at
 * the schedule's steps, a resumed probe writes the same rows bit for bit, params are checked in one sentence.
 */
public class AveragingProbeTest {
  static final double[] A = { 1.0, 0.1, 0.01 };
  static final double LR = 0.5;

  static AveragingProbe probe(String json) throws SpecException {
    ProbeSpec spec = new ProbeSpec(AVERAGING, ScheduleSpec.every(10));
    spec.params = parse(json);
    return (AveragingProbe) new AveragingProbeFactory().create(spec, "probes[0]");
  }

  /** tiny params: beta 0.9, SWA every 3, two-point k = 4, multi-point 3 points 5 apart */
  static Map<String, Object> parse(String json) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    if (json.isEmpty()) return m;
    for (String kv : json.split(";")) {
      String[] p = kv.split("=");
      Object v = p[1].startsWith("[") ? List.of(p[1].substring(1, p[1].length() - 1).split(","))
          : p[1].contains(".") ? (Object) Double.parseDouble(p[1]) : (Object) Integer.parseInt(p[1]);
      m.put(p[0], v);
    }
    return m;
  }

  static final String PARAMS = "beta=0.9;swaEvery=3;k=4;multiN=3;multiK=5";

  /** runs updates [from, to) of gradient descent from theta, appending θ_{t+1} to path; returns θ_to */
  static double[] descend(QuadraticRun run, AveragingProbe p, double[] theta, int from, int to, List<double[]> path) throws Exception {
    double[] th = theta;
    for (int t = from; t < to; t++) {
      var step = run.step(t, th, LR, 10, null);
      assertTrue(p.isDue(t, QuadraticRun.epoch(t)), "due at every update");
      p.onStep(step, run);
      th = step.thetaNext();
      if (path != null) path.add(th);
    }
    return th;
  }

  static double[] mean(List<double[]> pts) {
    double[] m = new double[pts.get(0).length];
    for (double[] p : pts) for (int i = 0; i < m.length; i++) m[i] += p[i];
    for (int i = 0; i < m.length; i++) m[i] /= pts.size();
    return m;
  }

  static double value(List<MetricRow> rows, long step, String q) {
    return rows.stream().filter(r -> r.step() == step && r.quantity().equals(q)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + q + " at " + step)).value();
  }

  static List<Long> steps(List<MetricRow> rows, String q) {
    return rows.stream().filter(r -> r.quantity().equals(q)).map(MetricRow::step).toList();
  }

  @Test
  public void eachAverageIsItsDefinitionAndItsRowsTheClosedFormLosses() throws Exception {
    QuadraticRun run = new QuadraticRun(A, new double[] { 1, 1, 1 });
    AveragingProbe p = probe(PARAMS);
    p.start(run);
    List<double[]> path = new ArrayList<>();
    path.add(run.theta0());
    descend(run, p, run.theta0(), 0, 100, path);
    // by hand over the kept trajectory
    double[] ema = path.get(0).clone();
    for (int t = 1; t <= 100; t++) for (int i = 0; i < 3; i++) ema[i] = 0.9 * ema[i] + 0.1 * path.get(t)[i];
    List<double[]> snaps = new ArrayList<>();
    for (int t = 0; t <= 100; t += 3) snaps.add(path.get(t));
    double[] swa = mean(snaps);
    double[] two = mean(List.of(path.get(96), path.get(100)));
    double[] multi = mean(List.of(path.get(90), path.get(95), path.get(100)));
    Map<String, double[]> got = p.averagesForTest(100);
    assertArrayEquals(ema, got.get(EMA), 1e-15);
    assertArrayEquals(swa, got.get(SWA), 1e-15);
    assertArrayEquals(two, got.get(TWOPOINT), 1e-15);
    assertArrayEquals(multi, got.get(MULTIPOINT), 1e-15);
    // rows at step 100: the closed-form loss of each average on both sets, its distance from θ_100
    List<MetricRow> rows = run.rows;
    for (String set : List.of("train_eval", "test")) {
      assertEquals(QuadraticRun.loss(A, ema), value(rows, 100, loss(EMA, set)), 1e-15);
      assertEquals(QuadraticRun.loss(A, swa), value(rows, 100, loss(SWA, set)), 1e-15);
      assertEquals(QuadraticRun.loss(A, two), value(rows, 100, loss(TWOPOINT, set)), 1e-15);
      assertEquals(QuadraticRun.loss(A, multi), value(rows, 100, loss(MULTIPOINT, set)), 1e-15);
    }
    assertEquals(AveragingMath.distance(ema, path.get(100), null), value(rows, 100, dist(EMA)), 1e-15);
    assertEquals(34, value(rows, 100, SWA_SNAPSHOTS), "snapshots at 0, 3, ..., 99");
    assertTrue(rows.stream().noneMatch(r -> r.quantity().startsWith("acc_")), "no classes, no accuracy rows");
    // the schedule's steps; two-point only where 100 - s is a multiple of 4, multi-point where it is one of 5
    assertEquals(List.of(10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L, 100L), steps(rows, loss(EMA, "test")));
    assertEquals(List.of(20L, 40L, 60L, 80L, 100L), steps(rows, loss(TWOPOINT, "test")));
    assertEquals(List.of(10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L, 100L), steps(rows, loss(MULTIPOINT, "test")));
    // averaging lowers the loss of this descent's endpoint? no: GD converges monotonically, so the average lags behind
    assertTrue(value(rows, 100, loss(EMA, "test")) > run.loss(path.get(100)), "EMA of a monotone descent lags");
    Map<String, Object> summary = p.finish(run);
    assertEquals(QuadraticRun.loss(A, ema), (double) summary.get("final_" + loss(EMA, "test")), 1e-15);
    assertEquals("none", summary.get("batch_norm"));
  }

  @Test
  public void aResumedProbeWritesTheSameRowsBitForBit() throws Exception {
    QuadraticRun whole = new QuadraticRun(A, new double[] { 1, -2, 3 });
    AveragingProbe a = probe(PARAMS + ";swaSnapshots=7;swaStart=6");
    a.start(whole);
    double[] end = descend(whole, a, whole.theta0(), 0, 100, null);

    QuadraticRun first = new QuadraticRun(A, new double[] { 1, -2, 3 });
    AveragingProbe b = probe(PARAMS + ";swaSnapshots=7;swaStart=6");
    b.start(first);
    double[] mid = descend(first, b, first.theta0(), 0, 47, null);
    Map<String, Object> state = b.saveState();

    QuadraticRun second = new QuadraticRun(A, new double[] { 1, -2, 3 });
    AveragingProbe c = probe(PARAMS + ";swaSnapshots=7;swaStart=6");
    c.start(second);
    c.restoreState(state);
    double[] end2 = descend(second, c, mid, 47, 100, null);
    assertArrayEquals(end, end2, 0);
    List<MetricRow> after = whole.rows.stream().filter(r -> r.step() > 47).toList();
    assertFalse(after.isEmpty());
    assertEquals(after, second.rows, "every row after the checkpoint, bit for bit");
    for (String avg : AVERAGES) {
      assertArrayEquals(a.averagesForTest(100).get(avg), c.averagesForTest(100).get(avg), 0, avg);
    }
    assertEquals(7, value(second.rows, 100, SWA_SNAPSHOTS), "at most 7 snapshots: 6, 9, ..., 24");
  }

  @Test
  public void theClosedFormOfTheEmaIsTheEquivalentSchedulesWeights() {
    // θ_t = θ_0 − η Σ_{s<t} g_s with arbitrary constant g_s: the EMA from θ_0 is θ_0 − η Σ_s (1 − β^{T−s}) g_s
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    int T = 40;
    double beta = 0.8;
    double eta = 0.3;
    double[] g = new double[T];
    for (int s = 0; s < T; s++) g[s] = r.nextDouble() - 0.5;
    double theta = 2.0;
    double[] ema = { theta };
    for (int t = 0; t < T; t++) {
      theta -= eta * g[t];
      AveragingMath.emaStep(ema, new double[] { theta }, beta);
    }
    double closed = 2.0;
    for (int s = 0; s < T; s++) closed -= eta * AveragingMath.emaWeight(beta, T, s) * g[s];
    assertEquals(closed, ema[0], 1e-14);
    assertTrue(AveragingMath.alignedToEnd(96, 100, 4));
    assertFalse(AveragingMath.alignedToEnd(97, 100, 4));
    assertTrue(AveragingMath.swaSnapshot(9, 3, 3, 2, 3));
    assertFalse(AveragingMath.swaSnapshot(12, 3, 3, 3, 3), "the fourth snapshot of at most 3");
    assertFalse(AveragingMath.swaSnapshot(2, 3, 3, 0, 0), "before the start");
  }

  @Test
  public void badParamsAreOneSentence() {
    SpecException e = assertThrows(SpecException.class, () -> probe("averages=[ema,median]"));
    assertEquals("Field 'probes[0].params.averages' must be a non-empty list of distinct names from ema, swa, twopoint,"
        + " multipoint, but it is [ema, median].", e.getMessage());
    e = assertThrows(SpecException.class, () -> probe("beta=1.5"));
    assertEquals("Field 'probes[0].params.beta' must be a number between 0 and 1, but it is 1.5.", e.getMessage());
    e = assertThrows(SpecException.class, () -> probe("multiN=1"));
    assertEquals("Field 'probes[0].params.multiN' must be a whole number from 2 to 1000, but it is 1.", e.getMessage());
    e = assertThrows(SpecException.class, () -> probe("window=3"));
    assertTrue(e.getMessage().startsWith("Unknown field 'window' in 'probes[0].params'"), e.getMessage());
  }

  @Test
  public void theProbeAndItsChartGroupAreRegistered() throws Exception {
    assertTrue(ProbeRegistry.fromExtensions().create(new ProbeSpec(AVERAGING), "probes[0]") instanceof AveragingProbe);
    Map<String, ChartGroup> groups = ChartRegistry.fromExtensions();
    ChartGroup g = groups.get(AVERAGING);
    assertNotNull(g, groups.keySet().toString());
    assertEquals("Averaging", g.name());
    assertEquals(5, g.charts().size());
    assertEquals("loss_test", g.charts().get(0).series().get(0).quantity());
    assertEquals(loss(EMA, "test"), g.charts().get(0).series().get(1).quantity());
    assertEquals(acc(MULTIPOINT, "train-eval"), g.charts().get(3).series().get(4).quantity());
  }
}
