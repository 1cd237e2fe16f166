package org.trajlab.probes.walk.tests;

import org.trajlab.testing.QuadraticRun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trajlab.probes.walk.WalkQuantities.*;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.StepContext;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.ScheduleSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.store.MetricRow;
import org.trajlab.probes.walk.internal.WalkMath;
import org.trajlab.probes.walk.internal.WalkProbeFactory;

public class WalkProbeTest {

  private static Probe walk(int points) throws SpecException {
    return walk(Map.of("points", points));
  }

  private static Probe walk(Map<String, Object> params) throws SpecException {
    ProbeSpec s = new ProbeSpec(WALK, ScheduleSpec.every(1));
    s.params.putAll(params);
    return new WalkProbeFactory().create(s, "probes[0]");
  }

  /**
   * L(theta) = a/2 theta^2 with theta_t = 1 and lr * a = 11/6: the line theta(alpha) = 1 - alpha * 11/6 crosses the
   * minimum at alpha* = 6/11, a point of the 10-interior-point grid. So the floor is exactly 0 at alpha 6/11 and
   * the height is (L(theta_t) + L(theta_{t+1})) / 2 = (a/2 + a/2 (5/6)^2) / 2.
   */
  /** batch-norm statistics (mask false) are left out of the walk's distances and norms */
  @Test
  public void distancesLeaveOutEntriesThatAreNotParameters() {
    double[] a = { 3, 4, 100 };
    double[] b = { 0, 0, -50 };
    boolean[] mask = { true, true, false };
    assertEquals(5.0, org.trajlab.probes.walk.internal.WalkMath.distance(a, b, mask), 0.0);
    assertEquals(5.0, org.trajlab.probes.walk.internal.WalkMath.distance(a, null, mask), 0.0);
    assertEquals(Math.sqrt(9 + 16 + 150 * 150), org.trajlab.probes.walk.internal.WalkMath.distance(a, b), 1e-12);
  }

  @Test
  public void quadraticValleyFloorAlphaAndHeightAreExact() throws Exception {
    double a = 3.0;
    double lr = 11.0 / 6 / a;
    QuadraticRun run = new QuadraticRun(new double[] { a }, new double[] { 0.0 });
    Probe p = walk(10);
    p.start(run);
    p.onStep(run.step(0, new double[] { 1.0 }, lr, 1, null), run);

    List<MetricRow> interp = run.rows.stream().filter(r -> r.quantity().equals(LOSS_INTERP)).toList();
    assertEquals(12, interp.size());
    for (int i = 0; i < 12; i++) {
      double alpha = i / 11.0;
      double th = 1 - alpha * (11.0 / 6);
      assertEquals(alpha, interp.get(i).index(), 0.0);
      assertEquals(a / 2 * th * th, interp.get(i).value(), 1e-15);
    }
    assertEquals(0.0, run.value(0, VALLEY_FLOOR), 1e-15);
    assertEquals(6.0 / 11, run.value(0, VALLEY_ALPHA), 0.0);
    assertEquals((a / 2 + a / 2 * (25.0 / 36)) / 2, run.value(0, HEIGHT), 1e-14);
    assertEquals(0.0, run.value(0, BARRIER));
    assertEquals(0.0, run.value(0, BARRIER_HEIGHT));
    assertEquals(1.0, run.value(0, DIST_FROM_INIT), 0.0);
    assertEquals(1.0, run.value(0, PARAM_NORM), 0.0);
    assertFalse(run.has(0, COS_CONSECUTIVE_GRAD), "no previous gradient at the first update");
    assertEquals(12, run.losses);
  }

  /**
   * In several dimensions the loss along the line is the parabola L(alpha) = L0 + alpha d1 + alpha^2 d2 with
   * d1 = <A theta, delta>, d2 = 1/2 <delta, A delta>, delta = theta_{t+1} - theta_t; the recorded floor must be the
   * parabola's smallest grid value, and the cosine and distances their closed forms.
   */
  @Test
  public void quadraticInSeveralDimensions() throws Exception {
    double[] a = { 10.0, 1.0, 0.1 };
    double[] theta0 = { 0.5, -2.0, 3.0 };
    double[] theta = { 0.4, -1.5, 2.0 };
    double[] prevG = { 1.0, 0.0, -1.0 };
    QuadraticRun run = new QuadraticRun(a, theta0);
    Probe p = walk(10);
    p.start(run);
    StepContext s = run.step(7, theta, 0.15, 1, prevG);
    p.onStep(s, run);

    double[] next = s.thetaNext();
    double d1 = 0, d2 = 0, l0 = QuadraticRun.loss(a, theta);
    for (int i = 0; i < 3; i++) {
      double delta = next[i] - theta[i];
      d1 += a[i] * theta[i] * delta;
      d2 += 0.5 * a[i] * delta * delta;
    }
    double best = Double.POSITIVE_INFINITY, bestAlpha = -1;
    for (int i = 0; i < 12; i++) {
      double al = i / 11.0, l = l0 + al * d1 + al * al * d2;
      if (l < best) {
        best = l;
        bestAlpha = al;
      }
    }
    assertEquals(best, run.value(7, VALLEY_FLOOR), 1e-12);
    assertEquals(bestAlpha, run.value(7, VALLEY_ALPHA), 0.0);
    double l1 = l0 + d1 + d2;
    assertEquals((l0 + l1 - 2 * best) / 2, run.value(7, HEIGHT), 1e-12);
    double[] g = s.gradient();
    double cos = (g[0] * prevG[0] + g[1] * prevG[1] + g[2] * prevG[2])
        / Math.sqrt((g[0] * g[0] + g[1] * g[1] + g[2] * g[2]) * 2);
    assertEquals(cos, run.value(7, COS_CONSECUTIVE_GRAD), 1e-14);
    assertEquals(Math.sqrt(0.01 + 0.25 + 1.0), run.value(7, DIST_FROM_INIT), 1e-14);
    assertEquals(Math.sqrt(0.16 + 2.25 + 4.0), run.value(7, PARAM_NORM), 1e-14);
    double alphaStar = run.value(7, VALLEY_ALPHA);
    assertTrue(alphaStar > 0 && alphaStar < 1, "this step's floor lies inside the segment (a valley): " + alphaStar);
  }

  /** a step that overshoots across a concave bump: L(alpha) = -(alpha - 1/2)^2 along the line, ends equal */
  @Test
  public void barrierOnAConcaveSegment() {
    double[] losses = new double[12];
    double[] alphas = WalkMath.alphaGrid(10);
    for (int i = 0; i < 12; i++) losses[i] = 1 - (alphas[i] - 0.5) * (alphas[i] - 0.5);
    assertTrue(WalkMath.crossesBarrier(losses, 1e-5));
    double top = 1 - Math.pow(5.0 / 11 - 0.5, 2); // grid points 5/11 and 6/11 are nearest 1/2
    assertEquals(top - 0.75, WalkMath.barrierHeight(losses, 1e-5), 1e-15);
    assertEquals(top - 0.75, WalkMath.barrierExcess(losses), 1e-15);
    assertEquals(0, WalkMath.floorIndex(losses));
    assertFalse(WalkMath.hasValley(losses));
  }

  @Test
  public void gridAndSmallFunctions() {
    assertArrayEquals(new double[] { 0, 0.25, 0.5, 0.75, 1 }, WalkMath.alphaGrid(3), 0.0);
    assertEquals(0.25, WalkMath.heightAboveFloor(2, 1, 1.25), 0.0);
    assertEquals(-1.0, WalkMath.cosine(new double[] { 1, 2 }, new double[] { -2, -4 }), 1e-15);
    assertTrue(Double.isNaN(WalkMath.cosine(new double[] { 0, 0 }, new double[] { 1, 0 })));
  }

  /**
   * A flat line whose losses wiggle by float rounding (3e-7 of the loss) is no barrier at the float default; a bump
   * of 1e-3 is, with its height; the double default sees a bump of 1e-8; the tolerance is relative to the larger
   * end's |L|.
   */
  @Test
  public void barrierOnlyAboveTheRelativeTolerance() {
    double floatTol = WalkMath.defaultBarrierTol("float");
    double doubleTol = WalkMath.defaultBarrierTol("double");
    assertEquals(1e-5, floatTol, 0.0);
    assertEquals(1e-10, doubleTol, 0.0);
    double[] jitter = { 1, 1 + 3e-7, 1 + 1e-7, 1 };
    assertFalse(WalkMath.crossesBarrier(jitter, floatTol));
    assertEquals(0.0, WalkMath.barrierHeight(jitter, floatTol), 0.0);
    assertEquals(3e-7, WalkMath.barrierExcess(jitter), 1e-16, "the wiggle itself is there");
    double[] bump = { 1, 1.001, 1 };
    assertTrue(WalkMath.crossesBarrier(bump, floatTol));
    assertEquals(0.001, WalkMath.barrierHeight(bump, floatTol), 1e-15);
    double[] small = { 1, 1 + 1e-8, 1 };
    assertTrue(WalkMath.crossesBarrier(small, doubleTol));
    assertEquals(1e-8, WalkMath.barrierHeight(small, doubleTol), 1e-16);
    assertFalse(WalkMath.crossesBarrier(small, floatTol));
    // relative to max(|L(theta_t)|, |L(theta_{t+1})|) = 2: 1.5e-5 is below 1e-5 * 2, 3e-5 above
    assertFalse(WalkMath.crossesBarrier(new double[] { 2, 2 + 1.5e-5, 1 }, floatTol));
    assertEquals(3e-5, WalkMath.barrierHeight(new double[] { 1, 2 + 3e-5, 2 }, floatTol), 1e-15);
    // interior losses below the ends: no barrier at any tolerance
    assertFalse(WalkMath.crossesBarrier(new double[] { 1, 0.5, 0.9 }, 1e-12));
  }

  /** heights {1, 2, 4}: mean 7/3, sample variance ((4/3)^2 + (1/3)^2 + (5/3)^2) / 2 = 7/3, std sqrt(7/3) */
  @Test
  public void sampleStatisticsByHand() {
    double[] h = { 1, 2, 4, 99 };
    assertEquals(7.0 / 3, WalkMath.mean(h, 3), 1e-15);
    assertEquals(7.0 / 3, WalkMath.sampleVariance(h, 3), 1e-15);
    assertEquals(Math.sqrt(7.0 / 3), WalkMath.sampleStd(h, 3), 1e-15);
    // one value: a mean, no sample spread; none: nothing
    assertEquals(5.0, WalkMath.mean(new double[] { 5 }, 1), 0.0);
    assertTrue(Double.isNaN(WalkMath.sampleVariance(new double[] { 5 }, 1)));
    assertTrue(Double.isNaN(WalkMath.sampleStd(new double[] { 5 }, 1)));
    assertTrue(Double.isNaN(WalkMath.mean(new double[0], 0)));
    // {1, 3}: sample variance 2 (population would be 1)
    assertEquals(2.0, WalkMath.sampleVariance(new double[] { 1, 3 }, 2), 0.0);
    // a spread 5e4 times below the mean keeps its digits: 9.8e-5 + {-2e-9, 0, 2e-9} has variance 4e-18, std 2e-9
    double[] tiny = { 9.8e-5 - 2e-9, 9.8e-5, 9.8e-5 + 2e-9 };
    assertEquals(4e-18, WalkMath.sampleVariance(tiny, 3), 4e-18 * 1e-8);
    assertEquals(2e-9, WalkMath.sampleStd(tiny, 3), 2e-9 * 1e-8);
    // Welford's M2 over 1, 2, 4: 0, then (2 - 1)(2 - 1.5) = 1/2, then (4 - 1.5)(4 - 7/3) = 25/6; M2 / 2 = 7/3
    double m2 = WalkMath.addToSquaredDeviations(0, 1, 1, 1);
    m2 = WalkMath.addToSquaredDeviations(m2, 1, 1.5, 2);
    m2 = WalkMath.addToSquaredDeviations(m2, 1.5, 7.0 / 3, 4);
    assertEquals(7.0 / 3, m2 / 2, 1e-15);
  }

  /**
   * Per-epoch rows on L = theta^2 / 2 with lr 1/2: theta halves, the loss falls monotonically along each line, so the
   * floor is the end and h = (L(theta) - L(theta/2)) / 2 = 3 theta^2 / 16. Epoch 1 walks theta = 1, 1/2, 1/4:
   * heights 3/16, 3/64, 3/256, mean 21/256, sample variance 567/65536, std sqrt(567)/256. Epoch 2 walks once
   * (theta = 1/8, update 12): a count and a mean, no spread. The summary's spread is over all four: mean 255/4096, sample
   * variance 30753/4194304.
   */
  @Test
  public void epochAggregates() throws Exception {
    QuadraticRun run = new QuadraticRun(new double[] { 1.0 }, new double[] { 1.0 });
    Probe p = walk(10);
    p.start(run);
    double[] th = { 1.0 };
    for (int t : new int[] { 0, 1, 2, 12 }) {
      if (t == 12) p.onEpochEnd(1, 10, run);
      p.onStep(run.step(t, th, 0.5, 1, null), run);
      assertEquals(3 * th[0] * th[0] / 16, run.value(t, HEIGHT), 1e-17);
      th = new double[] { th[0] * 0.5 };
    }
    assertEquals(3.0, run.value(10, WALKS_EPOCH));
    assertEquals(21.0 / 256, run.value(10, HEIGHT_EPOCH_MEAN), 1e-17);
    assertEquals(567.0 / 65536, run.value(10, HEIGHT_EPOCH_VAR), 1e-18);
    assertEquals(Math.sqrt(567) / 256, run.value(10, HEIGHT_EPOCH_STD), 1e-17);
    assertEquals(0.0, run.value(10, BARRIER_COUNT_EPOCH));
    assertFalse(run.has(10, BARRIER_HEIGHT_REL_EPOCH_MEAN), "no barriers, no mean of their heights");
    p.onEpochEnd(2, 20, run);
    assertEquals(1.0, run.value(20, WALKS_EPOCH));
    assertEquals(3.0 / 1024, run.value(20, HEIGHT_EPOCH_MEAN), 1e-18);
    assertFalse(run.has(20, HEIGHT_EPOCH_STD), "one walk: no sample spread");
    assertFalse(run.has(20, HEIGHT_EPOCH_VAR));
    assertTrue(run.log.get(1).contains("1 walks, mean height 0.002930 (one walk: no spread)"), run.log.get(1));
    assertTrue(run.log.get(0).contains("sample std 0.0930, var 0.00865"), run.log.get(0));
    Map<String, Object> summary = p.finish(run);
    assertEquals(4L, summary.get("walks"));
    assertEquals(255.0 / 4096, (Double) summary.get("mean_height"), 1e-17);
    assertEquals(30753.0 / 4194304, (Double) summary.get("height_var"), 1e-17);
    assertEquals(Math.sqrt(30753.0 / 4194304), (Double) summary.get("height_std"), 1e-16);
    assertEquals(0L, summary.get("barriers"));
  }

  /**
   * The tolerance in use lands in the summary and the run log: the objective's precision picks the default (float
   * 1e-5, double 1e-10), the param overrides it.
   */
  @Test
  public void barrierToleranceInTheSummaryAndTheLog() throws Exception {
    for (String precision : new String[] { "float", "double" }) {
      QuadraticRun run = new QuadraticRun(new double[] { 1.0 }, new double[] { 1.0 });
      run.precision = precision;
      Probe p = walk(10);
      p.start(run);
      p.onStep(run.step(0, new double[] { 1.0 }, 0.5, 1, null), run);
      assertEquals(0.0, run.value(0, BARRIER));
      assertEquals(0.0, run.value(0, BARRIER_HEIGHT));
      Map<String, Object> summary = p.finish(run);
      double want = precision.equals("float") ? 1e-5 : 1e-10;
      assertEquals(want, summary.get("barrier_tol"));
      String line = run.log.get(run.log.size() - 1);
      assertTrue(line.contains(String.format(java.util.Locale.ROOT, "0 barriers at relative tolerance %.1e (default for %s)",
          want, precision)), line);
      assertEquals(null, summary.get("height_std"), "one walk: no sample spread in the summary either");
    }
    QuadraticRun run = new QuadraticRun(new double[] { 1.0 }, new double[] { 1.0 });
    run.precision = "float";
    Probe p = walk(Map.of("barrierTol", 0.01));
    p.start(run);
    Map<String, Object> summary = p.finish(run);
    assertEquals(0.01, summary.get("barrier_tol"));
    assertTrue(run.log.get(0).contains("relative tolerance 1.0e-02 (barrierTol)"), run.log.get(0));
  }

  /**
   * A resumed run's probe cost includes the time before the interruption: saveState carries it, a new probe restores
   * it, and its summary reports it (plus whatever it walks after); a checkpoint without it (older) restores 0.
   */
  @Test
  public void probeCostSurvivesAResume() throws Exception {
    QuadraticRun run = new QuadraticRun(new double[] { 1.0 }, new double[] { 1.0 });
    Probe p1 = walk(10);
    p1.start(run);
    p1.onStep(run.step(0, new double[] { 1.0 }, 0.5, 1, null), run);
    p1.onStep(run.step(1, new double[] { 0.5 }, 0.5, 1, null), run);
    double before = (Double) p1.finish(run).get("seconds");
    Map<String, Object> state = p1.saveState();
    long nanos = ((Number) state.get("nanos")).longValue();
    assertTrue(nanos > 0, "two walks take time");
    assertEquals(nanos / 1e9, before, 0.0);

    Probe p2 = walk(10);
    p2.start(run);
    p2.restoreState(state);
    Map<String, Object> resumed = p2.finish(run);
    assertEquals(before, (Double) resumed.get("seconds"), 0.0);
    assertEquals(nanos / 1e6 / 2, (Double) resumed.get("ms_per_walk"), 1e-12);
    p2.onStep(run.step(2, new double[] { 0.25 }, 0.5, 1, null), run);
    assertTrue((Double) p2.finish(run).get("seconds") > before, "the time after the resume adds to it");

    Map<String, Object> old = new java.util.HashMap<>(state);
    old.remove("nanos");
    old.remove("heightM2");
    Probe p3 = walk(10);
    p3.start(run);
    p3.restoreState(old);
    Map<String, Object> fromOld = p3.finish(run);
    assertEquals(0.0, fromOld.get("seconds"));
    assertEquals(2L, fromOld.get("walks"));
    assertEquals((3.0 / 16 + 3.0 / 64) / 2, (Double) fromOld.get("mean_height"), 1e-17);
    assertEquals(null, fromOld.get("height_std"), "the spread of the walks before an old checkpoint is unknown");
  }

  @Test
  public void badParamsAreOneSentence() {
    ProbeSpec s = new ProbeSpec(WALK, ScheduleSpec.every(1));
    s.params.put("pointz", 3);
    SpecException e = org.junit.jupiter.api.Assertions.assertThrows(SpecException.class,
        () -> new WalkProbeFactory().create(s, "probes[0]"));
    assertEquals("Unknown field 'pointz' in 'probes[0].params'; allowed fields: barrierTol, points, set.", e.getMessage());
    s.params.clear();
    s.params.put("points", 0);
    e = org.junit.jupiter.api.Assertions.assertThrows(SpecException.class, () -> new WalkProbeFactory().create(s, "probes[0]"));
    assertEquals("Field 'probes[0].params.points' must be a whole number from 1 to 1000, but it is 0.", e.getMessage());
    for (Object bad : new Object[] { 0, 1, -1e-5, 2.5 }) {
      s.params.clear();
      s.params.put("barrierTol", bad);
      e = org.junit.jupiter.api.Assertions.assertThrows(SpecException.class, () -> new WalkProbeFactory().create(s, "probes[0]"));
      assertEquals("Field 'probes[0].params.barrierTol' must be a number between 0 and 1, but it is "
          + ((Number) bad).doubleValue() + ".", e.getMessage());
    }
    s.params.clear();
    s.params.put("barrierTol", "small");
    e = org.junit.jupiter.api.Assertions.assertThrows(SpecException.class, () -> new WalkProbeFactory().create(s, "probes[0]"));
    assertEquals("Field 'probes[0].params.barrierTol' must be a number, but it is small.", e.getMessage());
  }
}
