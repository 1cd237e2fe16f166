package org.trajlab.probes.walk.tests;

import org.trajlab.testing.QuadraticRun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.StepContext;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.ScheduleSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.store.MetricRow;
import org.trajlab.probes.walk.WalkMath;
import org.trajlab.probes.walk.WalkProbeFactory;

public class WalkProbeTest {

  private static Probe walk(int points) throws SpecException {
    ProbeSpec s = new ProbeSpec("walk", ScheduleSpec.every(1));
    s.params.put("points", points);
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
    assertEquals(5.0, org.trajlab.probes.walk.WalkMath.distance(a, b, mask), 0.0);
    assertEquals(5.0, org.trajlab.probes.walk.WalkMath.distance(a, null, mask), 0.0);
    assertEquals(Math.sqrt(9 + 16 + 150 * 150), org.trajlab.probes.walk.WalkMath.distance(a, b), 1e-12);
  }

  @Test
  public void quadraticValleyFloorAlphaAndHeightAreExact() throws Exception {
    double a = 3.0;
    double lr = 11.0 / 6 / a;
    QuadraticRun run = new QuadraticRun(new double[] { a }, new double[] { 0.0 });
    Probe p = walk(10);
    p.start(run);
    p.onStep(run.step(0, new double[] { 1.0 }, lr, 1, null), run);

    List<MetricRow> interp = run.rows.stream().filter(r -> r.quantity().equals("loss_interp")).toList();
    assertEquals(12, interp.size());
    for (int i = 0; i < 12; i++) {
      double alpha = i / 11.0;
      double th = 1 - alpha * (11.0 / 6);
      assertEquals(alpha, interp.get(i).index(), 0.0);
      assertEquals(a / 2 * th * th, interp.get(i).value(), 1e-15);
    }
    assertEquals(0.0, run.value(0, "valley_floor"), 1e-15);
    assertEquals(6.0 / 11, run.value(0, "valley_alpha"), 0.0);
    assertEquals((a / 2 + a / 2 * (25.0 / 36)) / 2, run.value(0, "height"), 1e-14);
    assertEquals(0.0, run.value(0, "barrier"));
    assertEquals(0.0, run.value(0, "barrier_height"));
    assertEquals(1.0, run.value(0, "dist_from_init"), 0.0);
    assertEquals(1.0, run.value(0, "param_norm"), 0.0);
    assertFalse(run.has(0, "cos_consecutive_grad"), "no previous gradient at the first update");
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
    assertEquals(best, run.value(7, "valley_floor"), 1e-12);
    assertEquals(bestAlpha, run.value(7, "valley_alpha"), 0.0);
    double l1 = l0 + d1 + d2;
    assertEquals((l0 + l1 - 2 * best) / 2, run.value(7, "height"), 1e-12);
    double[] g = s.gradient();
    double cos = (g[0] * prevG[0] + g[1] * prevG[1] + g[2] * prevG[2])
        / Math.sqrt((g[0] * g[0] + g[1] * g[1] + g[2] * g[2]) * 2);
    assertEquals(cos, run.value(7, "cos_consecutive_grad"), 1e-14);
    assertEquals(Math.sqrt(0.01 + 0.25 + 1.0), run.value(7, "dist_from_init"), 1e-14);
    assertEquals(Math.sqrt(0.16 + 2.25 + 4.0), run.value(7, "param_norm"), 1e-14);
    double alphaStar = run.value(7, "valley_alpha");
    assertTrue(alphaStar > 0 && alphaStar < 1, "this step's floor lies inside the segment (a valley): " + alphaStar);
  }

  /** a step that overshoots across a concave bump: L(alpha) = -(alpha - 1/2)^2 along the line, ends equal */
  @Test
  public void barrierOnAConcaveSegment() {
    double[] losses = new double[12];
    double[] alphas = WalkMath.alphaGrid(10);
    for (int i = 0; i < 12; i++) losses[i] = 1 - (alphas[i] - 0.5) * (alphas[i] - 0.5);
    assertTrue(WalkMath.crossesBarrier(losses));
    double top = 1 - Math.pow(5.0 / 11 - 0.5, 2); // grid points 5/11 and 6/11 are nearest 1/2
    assertEquals(top - 0.75, WalkMath.barrierHeight(losses), 1e-15);
    assertEquals(0, WalkMath.floorIndex(losses));
    assertFalse(WalkMath.hasValley(losses));
  }

  @Test
  public void gridAndSmallFunctions() {
    assertArrayEquals(new double[] { 0, 0.25, 0.5, 0.75, 1 }, WalkMath.alphaGrid(3), 0.0);
    assertEquals(0.25, WalkMath.heightAboveFloor(2, 1, 1.25), 0.0);
    assertEquals(-1.0, WalkMath.cosine(new double[] { 1, 2 }, new double[] { -2, -4 }), 1e-15);
    assertTrue(Double.isNaN(WalkMath.cosine(new double[] { 0, 0 }, new double[] { 1, 0 })));
    assertArrayEquals(new double[] { 2, 1 }, WalkMath.meanAndStd(new double[] { 1, 3, 99 }, 2), 0.0);
  }

  /** per-epoch rows after an epoch: mean and spread of the heights, barrier count */
  @Test
  public void epochAggregates() throws Exception {
    double a = 1.0;
    QuadraticRun run = new QuadraticRun(new double[] { a }, new double[] { 1.0 });
    Probe p = walk(10);
    p.start(run);
    double[] th = { 1.0 };
    double[] heights = new double[3];
    for (int t = 0; t < 3; t++) {
      p.onStep(run.step(t, th, 0.5, 1, null), run);
      heights[t] = run.value(t, "height");
      th = new double[] { th[0] * 0.5 };
    }
    p.onEpochEnd(1, 10, run);
    double mean = (heights[0] + heights[1] + heights[2]) / 3;
    assertEquals(mean, run.value(10, "height_epoch_mean"), 1e-15);
    assertEquals(3.0, run.value(10, "walks_epoch"));
    assertEquals(0.0, run.value(10, "barrier_count_epoch"));
    Map<String, Object> summary = p.finish(run);
    assertEquals(3L, summary.get("walks"));
  }

  @Test
  public void badParamsAreOneSentence() {
    ProbeSpec s = new ProbeSpec("walk", ScheduleSpec.every(1));
    s.params.put("pointz", 3);
    SpecException e = org.junit.jupiter.api.Assertions.assertThrows(SpecException.class,
        () -> new WalkProbeFactory().create(s, "probes[0]"));
    assertEquals("Unknown field 'pointz' in 'probes[0].params'; allowed fields: points, set.", e.getMessage());
    s.params.clear();
    s.params.put("points", 0);
    e = org.junit.jupiter.api.Assertions.assertThrows(SpecException.class, () -> new WalkProbeFactory().create(s, "probes[0]"));
    assertEquals("Field 'probes[0].params.points' must be a whole number from 1 to 1000, but it is 0.", e.getMessage());
  }
}
