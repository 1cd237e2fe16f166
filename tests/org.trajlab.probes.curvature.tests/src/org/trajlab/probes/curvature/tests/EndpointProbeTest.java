package org.trajlab.probes.curvature.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trajlab.probes.curvature.CurvatureQuantities.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.ProbeRegistry;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.ScheduleSpec;
import org.trajlab.probes.curvature.internal.EndpointProbe;
import org.trajlab.probes.curvature.internal.EndpointProbeFactory;
import org.trajlab.testing.QuadraticRun;

/**
 * Endpoint sharpness at the best-validation point and the last (paper 002) on L(θ) = ½ Σ a_i θ_i²: the Hessian is
 * diag(a) everywhere, so λ_i are the largest a_i and ‖H‖_F from the top 5 is sqrt(Σ a_i²) over them; the best point
 * is the measured θ_{t+1} of smallest loss.
 */
public class EndpointProbeTest {
  static final double[] A = { 1, 3, 2, 0.5 };

  static Probe probe() throws Exception {
    ScheduleSpec at = new ScheduleSpec();
    at.steps = List.of(9L, 19L);
    ProbeSpec s = new ProbeSpec(ENDPOINT, at);
    s.params.put("monitor", "loss_test");
    s.params.put("k", 2);
    return new EndpointProbeFactory().create(s, "probes[0]");
  }

  static double[] fill(double v) {
    return new double[] { v, v, v, v };
  }

  @Test
  public void theBestAndTheLastPointGetTheirSharpness() throws Exception {
    QuadraticRun run = new QuadraticRun(A, fill(1));
    Probe p = probe();
    p.start(run);
    assertTrue(p.isDue(9, 1) && p.isDue(19, 2) && p.isDue(99, 10), "the schedule's updates and the run's last");
    assertFalse(p.isDue(50, 6));
    p.onStep(run.step(9, fill(1), 0.1, 100, null), run);
    p.onStep(run.step(19, fill(0.1), 0.1, 100, null), run);
    Probe q = probe(); // resumed from a checkpoint after update 19
    q.restoreState(new HashMap<>(p.saveState()));
    q.start(run);
    q.onStep(run.step(99, fill(2), 0.1, 100, null), run);
    double[] next19 = new double[4];
    for (int i = 0; i < 4; i++) next19[i] = 0.1 - 0.1 * A[i] * 0.1;
    assertEquals(QuadraticRun.loss(A, next19), run.value(20, MONITOR), 1e-15);
    assertEquals(20, run.value(100, BEST_STEP));
    assertEquals(QuadraticRun.loss(A, next19), run.value(100, BEST_MONITOR), 1e-15);
    for (String[] q2 : new String[][] { { HESSIAN_EIG_BEST, HESSIAN_FROBENIUS_TOP5_BEST },
        { HESSIAN_EIG_LAST, HESSIAN_FROBENIUS_TOP5_LAST } }) {
      assertEquals(3, run.value(100, q2[0], 1), 1e-9);
      assertEquals(2, run.value(100, q2[0], 2), 1e-9);
      assertEquals(Math.sqrt(13), run.value(100, q2[1]), 1e-8);
    }
    Map<String, Object> s = q.finish(run);
    @SuppressWarnings("unchecked")
    Map<String, Object> best = (Map<String, Object>) s.get("best");
    assertEquals(20L, best.get("step"));
    assertEquals(3, (Double) best.get("lambda_1"), 1e-9);
    assertEquals(2, ((List<?>) best.get("hessian_eig")).size());
    @SuppressWarnings("unchecked")
    Map<String, Object> last = (Map<String, Object>) s.get("last");
    assertEquals(100L, last.get("step"));
    assertEquals("loss_test", s.get("monitor"));
  }

  @Test
  public void accuraciesImproveUpwardsLossesDownwards() throws Exception {
    ProbeSpec s = new ProbeSpec(ENDPOINT);
    assertTrue(ProbeRegistry.fromExtensions().create(s, "probes[0]") instanceof EndpointProbe, "registered");
    s.params.put("monitor", "acc_held_out");
    new EndpointProbeFactory().create(s, "probes[0]");
    s.params.put("monitor", "acc_valid");
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
        () -> new EndpointProbeFactory().create(s, "probes[0]"));
    assertTrue(e.getMessage().startsWith("Field 'probes[0].params.monitor' must be one of acc_held_out,"), e.getMessage());
  }
}
