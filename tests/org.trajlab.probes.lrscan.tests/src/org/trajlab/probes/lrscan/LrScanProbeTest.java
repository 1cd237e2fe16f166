package org.trajlab.probes.lrscan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trajlab.probes.lrscan.LrScanQuantities.*;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.trajlab.api.probe.Probe;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;
import org.trajlab.probes.lrscan.internal.LrScanProbeFactory;
import org.trajlab.testing.QuadraticRun;

/**
 * The single-step scan on the closed-form loss L(θ) = ½ Σ a_i θ_i² (every view the same): along −g, g = a ⊙ θ,
 * L(θ − λg) = ½ Σ a_i θ_i² (1 − λa_i)², minimised at λ* = gᵀg / gᵀAg = Σ a_i²θ_i² / Σ a_i³θ_i².
 */
public class LrScanProbeTest {
  static Probe probe(String params) throws SpecException {
    ProbeSpec s = Specs.parse("{\"probes\":[{\"type\":\"lrscan\",\"params\":" + params + "}]}").probes.get(0);
    return new LrScanProbeFactory().create(s, "probes[0]");
  }

  static double closedForm(double[] a, double[] th, double lambda) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += 0.5 * a[i] * th[i] * th[i] * (1 - lambda * a[i]) * (1 - lambda * a[i]);
    return s;
  }

  @Test
  public void everyCurveIsTheClosedFormAndItsMinimumIsLambdaStar() throws Exception {
    double[] a = { 1, 4 };
    double[] th = { 1, 1 };
    QuadraticRun run = new QuadraticRun(a, th);
    Probe p = probe("{\"grid\":\"linear\",\"points\":651,\"lambdaMax\":0.65}"); // step 1e-3
    p.start(run);
    p.onStep(run.step(3, th, 0.1, 100, null), run);
    double star = (1 + 16.0) / (1 + 64.0); // 17/65 = 0.26154
    for (String q : new String[] { LOSS_TRAIN_BATCH, LOSS_HELDOUT_BATCH, LOSS_TRAIN_EVAL }) {
      List<org.trajlab.api.store.MetricRow> rows = run.rows.stream().filter(r -> r.quantity().equals(q)).toList();
      assertEquals(651, rows.size());
      for (var r : rows) assertEquals(closedForm(a, th, r.index()), r.value(), 1e-12, q + " at " + r.index());
    }
    for (String[] m : new String[][] { { LOSS_TRAIN_BATCH_MIN, LAMBDA_TRAIN_BATCH_MIN },
        { LOSS_HELDOUT_BATCH_MIN, LAMBDA_HELDOUT_BATCH_MIN }, { LOSS_TRAIN_EVAL_MIN, LAMBDA_TRAIN_EVAL_MIN } }) {
      assertEquals(star, run.value(3, m[1]), 0.5e-3 + 1e-12, m[1] + ": the grid point nearest λ*");
      assertEquals(closedForm(a, th, run.value(3, m[1])), run.value(3, m[0]), 1e-12, m[0]);
    }
    assertEquals(Math.sqrt(1 + 16), run.value(3, GRAD_NORM_BATCH), 1e-12);
    assertEquals(651 * 3 + 7, run.rows.size());
  }

  @Test
  public void oneDimensionHitsTheExactMinimiserOnTheGrid() throws Exception {
    QuadraticRun run = new QuadraticRun(new double[] { 2 }, new double[] { 3 });
    Probe p = probe("{\"grid\":\"linear\",\"points\":11,\"lambdaMax\":1}");
    p.start(run);
    p.onStep(run.step(0, new double[] { 3 }, 0.1, 100, null), run);
    assertEquals(0.5, run.value(0, LAMBDA_TRAIN_EVAL_MIN), 1e-15, "λ* = 1/a");
    assertEquals(0, run.value(0, LOSS_TRAIN_EVAL_MIN), 1e-28);
    assertEquals(9, run.value(0, LOSS_TRAIN_BATCH, 0), 1e-14, "λ = 0: L(θ) = ½·2·9");
    assertEquals(9, run.value(0, LOSS_TRAIN_BATCH, 1), 1e-14, "λ = 2λ*: the mirror point");
  }

  @Test
  public void theDefaultGridIsLogUpToTenTimesTheUpdatesRate() throws Exception {
    QuadraticRun run = new QuadraticRun(new double[] { 1 }, new double[] { 1 });
    Probe p = probe("{}");
    p.start(run);
    p.onStep(run.step(5, new double[] { 1 }, 0.2, 100, null), run);
    List<Double> lambdas = run.rows.stream().filter(r -> r.quantity().equals(LOSS_TRAIN_EVAL)).map(r -> r.index()).toList();
    assertEquals(21, lambdas.size());
    assertEquals(0, lambdas.get(0));
    assertEquals(2e-3, lambdas.get(1), 1e-15);
    assertEquals(2, lambdas.get(20), 1e-15);
    Map<String, Object> s = p.finish(run);
    assertEquals(1L, s.get("scans"));
    assertEquals(63L, s.get("losses"));
    Probe restored = probe("{}");
    restored.restoreState(p.saveState());
    restored.start(run);
    assertEquals(63L, restored.finish(run).get("losses"));
  }

  @Test
  public void badParamsAreOneSentence() {
    SpecException e = assertThrows(SpecException.class, () -> probe("{\"lambdaMax\":1,\"lambdaMaxLr\":5}"));
    assertEquals("Give 'probes[0].params' either lambdaMax or lambdaMaxLr, not both.", e.getMessage());
    e = assertThrows(SpecException.class, () -> probe("{\"grid\":\"cubic\"}"));
    assertTrue(e.getMessage().contains("grid"), e.getMessage());
    e = assertThrows(SpecException.class, () -> probe("{\"lambdaMax\":-1}"));
    assertEquals("Field 'probes[0].params.lambdaMax' must be positive, but it is -1.0.", e.getMessage());
  }
}
