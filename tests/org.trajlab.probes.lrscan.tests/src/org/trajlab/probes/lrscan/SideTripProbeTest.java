package org.trajlab.probes.lrscan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.trajlab.probes.lrscan.LrScanQuantities.*;

import org.junit.jupiter.api.Test;
import org.trajlab.api.probe.Probe;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;
import org.trajlab.probes.lrscan.internal.SideTripProbeFactory;
import org.trajlab.testing.QuadraticRun;

/**
 * Side trips on L(θ) = ½ Σ a_i θ_i²: k gradient steps of rate η from θ give θ_k,i = (1 − ηa_i)^k θ_i, so every
 * loss along the trip, the endpoints, their distance and the line between them are known in closed form.
 */
public class SideTripProbeTest {
  static Probe probe(String params) throws SpecException {
    ProbeSpec s = Specs.parse("{\"probes\":[{\"type\":\"sidetrip\",\"params\":" + params + "}]}").probes.get(0);
    return new SideTripProbeFactory().create(s, "probes[0]");
  }

  static double[] trip(double[] a, double[] th, double lr, int k) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) out[i] = Math.pow(1 - lr * a[i], k) * th[i];
    return out;
  }

  @Test
  public void tripLossesEndpointsAndTheLineBetweenThemAreTheClosedForm() throws Exception {
    double[] a = { 1, 3 };
    QuadraticRun run = new QuadraticRun(a, new double[] { 1, -2 });
    Probe p = probe("{\"steps\":4,\"lr\":0.1,\"points\":1}");
    p.start(run);
    double[] t1 = { 1, -2 };
    double[] t2 = { 0.5, 0.25 };
    double[] before1 = t1.clone();
    p.onStep(run.step(0, t1, 0.05, 100, null), run);
    p.onStep(run.step(7, t2, 0.05, 100, null), run);
    assertEquals(before1[0], t1[0], 0.0, "the trip works on a copy: θ_t is never changed");
    assertEquals(before1[1], t1[1], 0.0);
    for (int k = 0; k <= 4; k++) {
      double expected = QuadraticRun.loss(a, trip(a, t2, 0.1, k));
      assertEquals(expected, run.value(7, TRIP_LOSS_TRAIN_BATCH, k), 1e-14, "k = " + k);
      assertEquals(expected, run.value(7, TRIP_LOSS_HELDOUT_BATCH, k), 1e-14);
      assertEquals(expected, run.value(7, TRIP_LOSS_TRAIN_EVAL, k), 1e-14);
    }
    double[] e1 = trip(a, t1, 0.1, 4);
    double[] e2 = trip(a, t2, 0.1, 4);
    assertEquals(QuadraticRun.loss(a, e1), run.value(0, TRIP_END_LOSS_TRAIN_EVAL), 1e-14);
    assertEquals(Math.hypot(e1[0] - e2[0], e1[1] - e2[1]), run.value(7, TRIP_ENDPOINT_DISTANCE), 1e-14);
    double[] mid = { (e1[0] + e2[0]) / 2, (e1[1] + e2[1]) / 2 };
    assertEquals(QuadraticRun.loss(a, mid), run.value(7, TRIP_INTERP_LOSS_TRAIN_EVAL, 0.5), 1e-14);
    assertEquals(QuadraticRun.loss(a, e1), run.value(7, TRIP_INTERP_LOSS_TRAIN_EVAL, 0), 1e-14);
    assertEquals(QuadraticRun.loss(a, e2), run.value(7, TRIP_INTERP_LOSS_TRAIN_EVAL, 1), 1e-14);
    assertFalse(run.has(0, TRIP_ENDPOINT_DISTANCE), "the first trip has no previous endpoint");
    // alignment: g_B(θ) = a ⊙ θ, so cos(g(t2), g(t1)) = cos((0.5, 0.75), (1, -6)); both batches give the same gradient
    double c = (0.5 * 1 + 0.75 * -6) / (Math.hypot(0.5, 0.75) * Math.hypot(1, 6));
    assertEquals(c, run.value(7, COS_FIXED_BATCH_GRAD), 1e-14);
    assertEquals(1, run.value(0, COS_FIXED_BATCH_GRAD), 1e-15);
    assertEquals(1, run.value(7, COS_INDEPENDENT_BATCH_GRAD), 1e-15);
  }

  @Test
  public void aRestoredProbeContinuesFromTheSavedEndpointAndFirstGradient() throws Exception {
    double[] a = { 2 };
    QuadraticRun run = new QuadraticRun(a, new double[] { 1 });
    Probe p = probe("{\"steps\":2,\"lr\":0.1,\"points\":0}");
    p.start(run);
    p.onStep(run.step(0, new double[] { 1 }, 0.1, 100, null), run);
    Probe q = probe("{\"steps\":2,\"lr\":0.1,\"points\":0}");
    q.restoreState(new java.util.HashMap<>(p.saveState()));
    q.start(run);
    q.onStep(run.step(5, new double[] { -1 }, 0.1, 100, null), run);
    assertEquals(-1, run.value(5, COS_FIXED_BATCH_GRAD), 1e-15, "against the saved g_B(θ_t0)");
    assertEquals(2 * 0.64, run.value(5, TRIP_ENDPOINT_DISTANCE), 1e-14, "endpoints ±0.8² apart");
  }
}
